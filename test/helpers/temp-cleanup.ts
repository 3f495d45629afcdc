/** Vitest setup file: runs in every test file, so its temp folders go whatever the outcome. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

afterAll(removeTempDirs);
