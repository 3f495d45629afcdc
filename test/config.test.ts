import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfigFile, resolveConfig } from '../mixin/config/load.js';
import { issuesOf } from './helpers/config.js';
import { matches, selectorMatchers } from './helpers/selectors.js';

describe('config', () => {
  it('defaults are valid and match the job labels real installs produce, each by its own component only', () => {
    const cfg = defaultConfig();
    const components = ['controller', 'speaker', 'frrMetrics', 'frrK8s'] as const;
    // Target labels of real installs (reference: metallb-metrics.md section 2), and the component each belongs to.
    const targets: [string, Record<string, string>, (typeof components)[number]][] = [
      ['Helm, release metallb: controller', { job: 'metallb-controller-monitor-service', container: 'controller' }, 'controller'],
      ['Helm, release metallb: speaker', { job: 'metallb', container: 'speaker' }, 'speaker'],
      ['Helm, FRR mode: frr-metrics sidecar', { job: 'metallb', container: 'frr-metrics' }, 'frrMetrics'],
      ['Helm <= 0.15 behind kube-rbac-proxy: speaker', { job: 'metallb', container: 'kube-rbac-proxy' }, 'speaker'],
      ['Helm <= 0.15 behind kube-rbac-proxy: frr-metrics', { job: 'metallb', container: 'kube-rbac-proxy-frr' }, 'frrMetrics'],
      ['Helm, release metallb: frr-k8s subchart', { job: 'metallb-frr-k8s-frr-k8s-monitor-service', container: 'frr-metrics' }, 'frrK8s'],
      ['Helm, release lb: controller', { job: 'lb-metallb-controller-monitor-service', container: 'controller' }, 'controller'],
      ['Helm, release lb: frr-k8s subchart', { job: 'lb-frr-k8s-frr-k8s-monitor-service', container: 'controller' }, 'frrK8s'],
      ['kustomize: controller', { job: 'controller-monitor-service', container: 'controller' }, 'controller'],
      ['kustomize: speaker', { job: 'speaker-monitor-service', container: 'speaker' }, 'speaker'],
      ['kustomize: FRR sidecar', { job: 'speaker-monitor-service', container: 'frr-metrics' }, 'frrMetrics'],
      ['kustomize: frr-k8s', { job: 'frr-k8s-metrics-service', container: 'frr-metrics' }, 'frrK8s'],
    ];
    for (const [what, labels, component] of targets) {
      expect(components.filter((c) => matches(selectorMatchers(cfg, c), labels)), what).toEqual([component]);
    }
    // The job regexes are anchored: names that merely contain a MetalLB job belong to nobody.
    for (const job of ['controller-monitor-service-old', 'xmetallb', 'frr-k8s-monitor-service-legacy']) {
      expect(components.filter((c) => matches(selectorMatchers(cfg, c), { job, container: 'controller' })), job).toEqual([]);
    }
    expect(cfg.bgp.modes).toEqual(['native', 'frr', 'frr-k8s', 'frr-k8s-relabelled']);
  });

  it('fills defaults around a partial override', () => {
    const cfg = resolveConfig({ thresholds: { poolUsage: { warning: 70 } }, alerts: { MetalLBBGPSessionDown: { for: '1m' } } });
    expect(cfg.thresholds.poolUsage).toEqual({ warning: 70, critical: 95 });
    expect(cfg.alerts.MetalLBBGPSessionDown).toEqual({ enabled: true, for: '1m' });
    expect(cfg.alerts.MetalLBBFDSessionDown.for).toBe('2m');
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
