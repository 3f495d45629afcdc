/**
 * The README's "In your CI" commands, run as written in an empty folder (with `npx metallb-mixin`
 * standing for this checkout's CLI): a CLI user's build and a kube-prometheus user's jsonnet both
 * pass the generated tests for the same settings.
 */
import { run } from './helpers/run.js';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedOut, repoRoot, tempDir } from './helpers/cli.js';
import { onlyBlock } from './helpers/markdown.js';

const readme = join(repoRoot, 'README.md');
const cli = join(repoRoot, 'dist', 'scripts', 'cli.js');

/** Settings a user changes: selectors, the cluster label, thresholds, `for`, labels, a disabled alert. */
const myConfig = `
clusterLabel: k8s_cluster
selectors:
  speaker: 'job="metallb-speaker",container!="frr-metrics"'
thresholds:
  poolUsage: { warning: 80, critical: 92 }
  bgpFlaps: 4
alertLabels: { team: network }
alerts:
  MetalLBBGPSessionDown: { for: 1m }
  MetalLBL2DuplicateAnnouncer: { enabled: false }
`;

function runBlock(code: string, dir: string) {
  const script = code.replaceAll('npx metallb-mixin', `node ${JSON.stringify(cli)}`);
  return run('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, env: { ...process.env, TMPDIR: dir } });
}

describe('the README\'s "In your CI" commands', () => {
  it('a CLI build with my-metallb.yaml passes its own tests', async () => {
    const dir = tempDir('in-your-ci');
    writeFileSync(join(dir, 'my-metallb.yaml'), myConfig);
    const run = await runBlock(onlyBlock(readme, 'In your CI', 'sh', '--out vendor/metallb-mixin'), dir);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SUCCESS/);
    expect(run.stdout).not.toMatch(/FAILED/);
  });

  it("the rules a kube-prometheus user's jsonnet renders with the same settings pass the same tests", async () => {
    const dir = tempDir('in-your-ci-jsonnet');
    writeFileSync(join(dir, 'my-metallb.yaml'), myConfig);
    // The vendored mixin, where `jb install` puts it.
    const vendored = join(dir, 'vendor', 'github.com', 'metallb-mixin', 'metallb-mixin');
    mkdirSync(vendored, { recursive: true });
    symlinkSync(committedOut, join(vendored, 'out'));
    const run = await runBlock(onlyBlock(readme, 'In your CI', 'sh', 'jsonnet -J vendor'), dir);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SUCCESS/);
    expect(run.stdout).not.toMatch(/FAILED/);
  });
});
