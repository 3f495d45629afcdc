#!/usr/bin/env node
// Regenerates the tables (config, support matrix) in README.md and docs/alerts.md from the schema and the built mixin.
// `--check` exits 1 when they are stale (npm test runs it), instead of writing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../mixin/build.js';
import { defaultConfig } from '../mixin/config/load.js';
import { renderAlertsTable } from '../mixin/docs/alerts-table.js';
import { renderConfigTable } from '../mixin/docs/config-table.js';
import { renderSupportMatrix } from '../mixin/docs/support-matrix.js';
import { readText, replaceSection } from '../mixin/docs/sync.js';

const root = join(import.meta.dirname, '..', '..');
const check = process.argv.includes('--check');
const cfg = defaultConfig();
const { mixin } = generate(cfg);

const targets: [string, string, string][] = [
  ['README.md', 'config-table', renderConfigTable()],
  ['README.md', 'support-matrix', renderSupportMatrix()],
  ['docs/alerts.md', 'alerts-table', renderAlertsTable(mixin, cfg)],
];

const stale: string[] = [];
for (const [file, section, body] of targets) {
  const path = join(root, file);
  const before = readText(path);
  const after = replaceSection(before, section, body, file);
  if (after === before) continue;
  if (check) stale.push(file);
  else writeFileSync(path, after);
}
if (stale.length > 0) {
  console.error(`generated docs are stale in ${stale.join(', ')}: run npm run docs`);
  process.exitCode = 1;
}
