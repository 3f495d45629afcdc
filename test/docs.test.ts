import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import { defaultConfig } from '../mixin/config/load.js';
import { renderAlertsTable } from '../mixin/docs/alerts-table.js';
import { renderConfigTable } from '../mixin/docs/config-table.js';
import { renderSupportMatrix } from '../mixin/docs/support-matrix.js';
import { repoRoot } from './helpers/cli.js';

const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

describe('generated documentation', () => {
  it('README config table is current (npm run docs)', () => {
    expect(read('README.md')).toContain(`<!-- config-table:start -->\n${renderConfigTable()}\n<!-- config-table:end -->`);
  });

  it('README support matrix is current (npm run docs)', () => {
    expect(read('README.md')).toContain(`<!-- support-matrix:start -->\n${renderSupportMatrix()}\n<!-- support-matrix:end -->`);
  });

  it('docs/alerts.md is current (npm run docs)', () => {
    const cfg = defaultConfig();
    expect(read('docs/alerts.md')).toContain(
      `<!-- alerts-table:start -->\n${renderAlertsTable(generate(cfg).mixin, cfg)}\n<!-- alerts-table:end -->`,
    );
  });
});
