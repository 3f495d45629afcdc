import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfigFile, resolveConfig } from '../mixin/config/load.js';
import { issuesOf } from './helpers/config.js';

describe('config', () => {
  it('defaults are valid and match the job labels real installs produce', () => {
    const cfg = defaultConfig();
    expect(cfg.selectors.controller).toContain('metallb-controller-monitor-service');
    expect(cfg.selectors.controller).toContain('controller-monitor-service');
    expect(cfg.selectors.speaker).toMatch(/metallb\|speaker-monitor-service/);
    expect(cfg.selectors.frrK8s).toContain('metallb-frr-k8s-frr-k8s-monitor-service');
    expect(cfg.selectors.frrK8s).toContain('frr-k8s-metrics-service');
    expect(cfg.bgp.modes).toEqual(['native', 'frr', 'frr-k8s', 'frr-k8s-relabelled']);
  });

  it('fills defaults around a partial override', () => {
    const cfg = resolveConfig({ thresholds: { poolUsage: { warning: 70 } }, alerts: { MetalLBBGPSessionDown: { for: '1m' } } });
    expect(cfg.thresholds.poolUsage).toEqual({ warning: 70, critical: 95 });
    expect(cfg.alerts.MetalLBBGPSessionDown).toEqual({ enabled: true, for: '1m' });
    expect(cfg.alerts.MetalLBBFDSessionDown.for).toBe(defaultConfig().alerts.MetalLBBFDSessionDown.for);
  });

  it('names the field when warning is not below critical', () => {
    expect(issuesOf({ thresholds: { poolUsage: { warning: 97 } } })).toEqual(['thresholds.poolUsage.warning: must be below critical (95)']);
  });

  it('rejects a selector that is not a label matcher list', () => {
    expect(issuesOf({ selectors: { speaker: 'job=metallb' } })).toEqual(['selectors.speaker: not a valid label matcher list: job=metallb']);
    expect(issuesOf({ selectors: { controller: 'up{job="x"}' } })[0]).toMatch(/^selectors\.controller: not a valid label matcher list/);
  });

  it('rejects unknown keys, at any depth, and unknown alert names', () => {
    expect(issuesOf({ clusterLabl: 'x' })).toEqual(['clusterLabl: unknown key']);
    expect(issuesOf({ thresholds: { poolUsage: { warnng: 1 } } })).toEqual(['thresholds.poolUsage.warnng: unknown key']);
    expect(issuesOf({ alerts: { MetalLBNoSuchAlert: { enabled: false } } })).toEqual(['alerts.MetalLBNoSuchAlert: unknown key']);
  });

  it('rejects wrong types and malformed durations', () => {
    expect(issuesOf({ showMultiCluster: 'yes' })).toEqual(['showMultiCluster: must be boolean']);
    expect(issuesOf({ alerts: { MetalLBBGPSessionDown: { for: '5 minutes' } } })[0]).toMatch(/^alerts\.MetalLBBGPSessionDown\.for: must match/);
    expect(issuesOf({ clusterLabel: 'my-cluster' })[0]).toMatch(/^clusterLabel: must match/);
    expect(issuesOf({ pools: { exclude: ['(unclosed'] } })[0]).toMatch(/^pools\.exclude\.0: \(unclosed: not a valid regular expression/);
  });

  it('rejects regexes Prometheus (RE2) would refuse, in pools and selectors', () => {
    expect(issuesOf({ pools: { exclude: ['(?=full)'] } })).toEqual(['pools.exclude.0: (?=full): lookahead and lookbehind are not supported by Prometheus (RE2)']);
    expect(issuesOf({ pools: { exclude: ['(a)\\1'] } })).toEqual(['pools.exclude.0: (a)\\1: backreferences are not supported by Prometheus (RE2)']);
    expect(issuesOf({ selectors: { speaker: 'job=~"(?!x)speaker"' } })).toEqual(['selectors.speaker: job=~"(?!x)speaker": lookahead and lookbehind are not supported by Prometheus (RE2)']);
    expect(issuesOf({ pools: { exclude: ['static-.*', 'lab[0-9]+'] } })).toEqual([]);
  });

  it('reports YAML syntax errors and non-mapping files with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'metallb-mixin-config-'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'thresholds:\n  poolUsage: [unclosed\n');
    expect(() => loadConfigFile(broken)).toThrow(/broken\.yaml.*\n.*not valid YAML/);
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    expect(() => loadConfigFile(list)).toThrow(/must be a mapping of settings/);
    const json = join(dir, 'cfg.json');
    writeFileSync(json, JSON.stringify({ clusterLabel: 'k8s_cluster' }));
    expect(loadConfigFile(json).clusterLabel).toBe('k8s_cluster');
    expect(readFileSync(json, 'utf8')).toContain('k8s_cluster');
  });
});
