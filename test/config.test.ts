import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { defaultConfig, loadConfigFile, resolveConfig } from '../mixin/config/load.js';
import { configSchema } from '../mixin/config/schema.js';
import { compiledValidatorFile, newConfigAjv } from '../mixin/config/validator.js';
import { repoRoot } from './helpers/cli.js';
import { issuesOf } from './helpers/config.js';
import { matches, selectorMatchers } from './helpers/selectors.js';
import { tempDir } from './helpers/temp.js';

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
      ['Helm chart <= 0.14.5, release metallb: speaker', { job: 'metallb-speaker-monitor-service', container: 'speaker' }, 'speaker'],
      [
        'Helm chart <= 0.14.5, release metallb: FRR sidecar',
        { job: 'metallb-speaker-monitor-service', container: 'frr-metrics' },
        'frrMetrics',
      ],
      ['MetalLB operator: controller', { job: 'controller-monitor-service', container: 'controller' }, 'controller'],
      ['MetalLB operator: speaker', { job: 'metallb', container: 'speaker' }, 'speaker'],
      ['MetalLB operator: frr-k8s', { job: 'frr-k8s-monitor-service', container: 'frr-metrics' }, 'frrK8s'],
      ['kustomize: controller', { job: 'controller-monitor-service', container: 'controller' }, 'controller'],
      ['kustomize: speaker', { job: 'speaker-monitor-service', container: 'speaker' }, 'speaker'],
      ['kustomize: FRR sidecar', { job: 'speaker-monitor-service', container: 'frr-metrics' }, 'frrMetrics'],
      ['kustomize: frr-k8s', { job: 'frr-k8s-metrics-service', container: 'frr-metrics' }, 'frrK8s'],
    ];
    for (const [what, labels, component] of targets) {
      expect(
        components.filter((c) => matches(selectorMatchers(cfg, c), labels)),
        what,
      ).toEqual([component]);
    }
    // The job regexes are anchored: names that merely contain a MetalLB job belong to nobody.
    for (const job of ['controller-monitor-service-old', 'xmetallb', 'frr-k8s-monitor-service-legacy', 'speaker-monitor-service-old']) {
      expect(
        components.filter((c) => matches(selectorMatchers(cfg, c), { job, container: 'controller' })),
        job,
      ).toEqual([]);
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
    expect(issuesOf({ alerts: { MetalLBBGPSessionDown: { for: '5 minutes' } } })[0]).toMatch(
      /^alerts\.MetalLBBGPSessionDown\.for: not a Prometheus duration/,
    );
    expect(issuesOf({ clusterLabel: 'my-cluster' })[0]).toMatch(/^clusterLabel: must match/);
    expect(issuesOf({ pools: { exclude: ['(unclosed'] } })[0]).toMatch(
      /^pools\.exclude\.0: \(unclosed: not a valid RE2 regular expression/,
    );
  });

  it('rejects regexes Prometheus (RE2) would refuse, in pools and selectors', () => {
    expect(issuesOf({ pools: { exclude: ['(?=full)'] } })).toEqual([
      "pools.exclude.0: (?=full): not a valid RE2 regular expression (Prometheus's syntax): invalid or unsupported Perl syntax: `(?=`",
    ]);
    expect(issuesOf({ pools: { exclude: ['(a)\\1'] } })).toEqual([
      "pools.exclude.0: (a)\\1: not a valid RE2 regular expression (Prometheus's syntax): invalid escape sequence: `\\1`",
    ]);
    expect(issuesOf({ selectors: { speaker: 'job=~"(?!x)speaker"' } })).toEqual([
      'selectors.speaker: job=~"(?!x)speaker": not a valid RE2 regular expression (Prometheus\'s syntax): invalid or unsupported Perl syntax: `(?!`',
    ]);
    expect(issuesOf({ pools: { exclude: ['static-.*', 'lab[0-9]+'] } })).toEqual([]);
  });

  it('reports YAML syntax errors and non-mapping files with the file name', () => {
    const dir = tempDir('config');
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

describe('config values that would silently change what the rules mean', () => {
  it('refuses alert labels the alerts already carry or use, and those Prometheus sets', () => {
    for (const key of ['cluster', 'pool', 'severity', 'alertname', '__name__', 'instance', 'job', 'peer', 'node', 'namespace']) {
      const issues = issuesOf({ alertLabels: { [key]: 'x' } });
      expect(issues, key).toHaveLength(1);
      expect(issues[0], key).toMatch(new RegExp(`^alertLabels\\.${key}: `));
    }
    expect(issuesOf({ alertLabels: { 'my-team': 'x' } })).toEqual([
      'alertLabels.my-team: not a Prometheus label name: letters, digits and "_", not starting with a digit',
    ]);
    expect(issuesOf({ alertLabels: { team: 5 } })).toEqual(['alertLabels.team: must be string']);
    expect(issuesOf({ alertLabels: { team: 'network', routing_key: 'metallb' } })).toEqual([]);
  });

  it('follows clusterLabel: the old cluster label is free, the new one is taken', () => {
    expect(issuesOf({ clusterLabel: 'k8s_cluster', alertLabels: { cluster: 'eu-1' } })).toEqual([]);
    expect(issuesOf({ clusterLabel: 'k8s_cluster', alertLabels: { k8s_cluster: 'eu-1' } })[0]).toMatch(
      /^alertLabels\.k8s_cluster: "k8s_cluster" is the cluster label/,
    );
  });

  it('refuses alert label values that change at every evaluation, and keeps label templates', () => {
    for (const value of [
      '{{ $value }}',
      '{{ $value | humanizePercentage }}',
      'v$value',
      '{{ humanize .Value }}',
      '{{ with query "up" }}x{{ end }}',
      '{{ pool',
    ]) {
      expect(issuesOf({ alertLabels: { team: value } }), value).toHaveLength(1);
      expect(issuesOf({ alertLabels: { team: value } })[0], value).toMatch(/^alertLabels\.team: /);
    }
    expect(issuesOf({ alertLabels: { team: 'net-{{ $labels.namespace }}' } })).toEqual([]);
    expect(issuesOf({ alertLabels: { urgency: 'now' } })).toEqual([]);
  });

  it('refuses a cluster label the rules use for something else', () => {
    for (const label of ['job', 'instance', 'pod', 'node', 'peer', 'pool', 'namespace', 'severity', 'alertname']) {
      const issues = issuesOf({ clusterLabel: label });
      expect(issues, label).toHaveLength(1);
      expect(issues[0], label).toMatch(/^clusterLabel: /);
    }
    expect(issuesOf({ clusterLabel: 'k8s_cluster' })).toEqual([]);
    expect(issuesOf({ clusterLabel: 'region' })).toEqual([]);
  });

  it('validates regexes with RE2 semantics, in pools, selectors and the other matcher fields', () => {
    for (const pattern of ['\\u0041', '(?<n>x)', 'a{1001}']) {
      expect(issuesOf({ pools: { exclude: [pattern] } })[0], pattern).toMatch(/^pools\.exclude\.0: /);
      expect(issuesOf({ selectors: { speaker: `job=~${JSON.stringify(pattern)}` } })[0], pattern).toMatch(/^selectors\.speaker: /);
    }
    expect(issuesOf({ pools: { exclude: ['(?<=a)b'] } })[0]).toMatch(/^pools\.exclude\.0: \(\?<=a\)b: not a valid RE2 regular expression/);
    expect(issuesOf({ pools: { exclude: ['(?i)prod', 'a{1000}', '(?P<n>x)'] } })).toEqual([]);
    expect(issuesOf({ selectors: { speaker: 'job=~"(?i)speaker.*"' } })).toEqual([]);
    expect(issuesOf({ bgp: { nativePeerMatcher: 'peer=~"\\\\u0041"' } })[0]).toMatch(/^bgp\.nativePeerMatcher: /);
    expect(issuesOf({ alerts: { MetalLBSpeakersMissing: { nodeMatchers: 'node=~"a{1001}"' } } })[0]).toMatch(
      /^alerts\.MetalLBSpeakersMissing\.nodeMatchers: /,
    );
  });

  it('refuses matchers on __name__ in any matcher field', () => {
    expect(issuesOf({ selectors: { controller: '__name__="up",job="x"' } })).toEqual([
      'selectors.controller: __name__="up": matchers on __name__ are refused; each query names its own metric',
    ]);
    expect(issuesOf({ bgp: { nativePeerMatcher: '__name__=~"metallb_.*"' } })[0]).toMatch(/^bgp\.nativePeerMatcher: __name__/);
    expect(issuesOf({ alerts: { MetalLBSpeakersMissing: { nodeMatchers: '__name__!=""' } } })[0]).toMatch(
      /^alerts\.MetalLBSpeakersMissing\.nodeMatchers: __name__/,
    );
  });

  it('refuses durations whose units are out of order or repeated, as Prometheus does', () => {
    for (const bad of ['5m1h', '1h1h', '30s1m', '1ms1s', '']) {
      expect(issuesOf({ alerts: { MetalLBBGPSessionDown: { for: bad } } })[0], bad).toMatch(
        /^alerts\.MetalLBBGPSessionDown\.for: not a Prometheus duration/,
      );
    }
    expect(issuesOf({ thresholds: { bgpFlapWindow: '15m1h' } })[0]).toMatch(/^thresholds\.bgpFlapWindow: not a Prometheus duration/);
    expect(issuesOf({ outputs: { monitors: { interval: '30s1m' } } })[0]).toMatch(
      /^outputs\.monitors\.interval: not a Prometheus duration/,
    );
    expect(issuesOf({ alerts: { MetalLBBGPSessionDown: { for: '1h30m' } }, thresholds: { bgpFlapWindow: '1d2h3m4s5ms' } })).toEqual([]);
  });

  it('wants exactly one %s in the runbook pattern and takes any other %', () => {
    expect(issuesOf({ runbookURLPattern: 'https://wiki/%s/%s' })).toEqual([
      'runbookURLPattern: must contain %s exactly once (where the alert name goes)',
    ]);
    expect(issuesOf({ runbookURLPattern: 'https://wiki/My%20Page/%s' })).toEqual([]);
  });

  it('names an unknown dashboard in dashboards.uids, and refuses two dashboards with one uid', () => {
    expect(issuesOf({ dashboards: { uids: { 'metallb-nope.json': 'abc' } } })[0]).toMatch(
      /^dashboards\.uids: no dashboard named metallb-nope\.json; the dashboards are .*metallb-overview\.json/,
    );
    expect(issuesOf({ dashboards: { uids: { 'metallb-overview.json': 'same', 'metallb-layer2.json': 'same' } } })).toEqual([
      'dashboards.uids.metallb-layer2.json: uid "same" would be shared by metallb-overview.json and metallb-layer2.json; Grafana keeps only one of them',
    ]);
    // An override equal to another dashboard's prefixed uid.
    expect(issuesOf({ dashboards: { uids: { 'metallb-overview.json': 'metallb-layer2' } } })[0]).toMatch(
      /^dashboards\.uids\.metallb-overview\.json: uid "metallb-layer2" would be shared/,
    );
    expect(issuesOf({ dashboards: { uidPrefix: 'x-', uids: { 'metallb-overview.json': 'metallb-layer2' } } })).toEqual([]);
  });

  it('refuses Kubernetes label and annotation keys and values the API server rejects', () => {
    const cases: [unknown, string][] = [
      [{ prometheusRule: { labels: { 'my label': 'x' } } }, 'outputs.prometheusRule.labels.my label: not a valid label key'],
      [{ monitors: { labels: { 'a/b/c': 'x' } } }, 'outputs.monitors.labels.a/b/c: not a valid label key: at most one "/"'],
      [
        { monitors: { labels: { 'Example.COM/team': 'x' } } },
        'outputs.monitors.labels.Example.COM/team: not a valid label key: the prefix',
      ],
      [{ monitors: { labels: { '/team': 'x' } } }, 'outputs.monitors.labels./team: not a valid label key: the prefix before "/" is empty'],
      [
        { monitors: { labels: { [`${'a'.repeat(64)}`]: 'x' } } },
        `outputs.monitors.labels.${'a'.repeat(64)}: not a valid label key: the name is longer than 63`,
      ],
      [{ dashboardConfigMaps: { labels: { release: 'a'.repeat(64) } } }, 'outputs.dashboardConfigMaps.labels.release: label value'],
      [
        { dashboardConfigMaps: { labels: { release: 'kube prometheus' } } },
        'outputs.dashboardConfigMaps.labels.release: label value "kube prometheus" is invalid',
      ],
      [{ dashboardConfigMaps: { labels: { release: '-x' } } }, 'outputs.dashboardConfigMaps.labels.release: label value "-x" is invalid'],
      [
        { dashboardConfigMaps: { annotations: { 'grafana folder': 'MetalLB' } } },
        'outputs.dashboardConfigMaps.annotations.grafana folder: not a valid annotation key',
      ],
      [
        { grafanaOperator: { instanceSelector: { dashboards: 'my grafana' } } },
        'outputs.grafanaOperator.instanceSelector.dashboards: label value',
      ],
      [
        { monitors: { podSelectors: { speaker: { 'app.kubernetes.io//name': 'x' } } } },
        'outputs.monitors.podSelectors.speaker.app.kubernetes.io//name: not a valid label key',
      ],
    ];
    for (const [outputs, message] of cases) {
      const issues = issuesOf({ outputs });
      expect(issues, message).toHaveLength(1);
      expect(issues[0]?.startsWith(message), `${issues[0]} should start with ${message}`).toBe(true);
    }
    // What the API server accepts: upper case in names and annotation keys, an empty value, any annotation value.
    expect(
      issuesOf({
        outputs: {
          monitors: { labels: { 'example.com/Team_Name': 'Net.Work-1', empty: '' } },
          dashboardConfigMaps: { annotations: { Grafana_Folder: 'MetalLB / Network: all of it' } },
        },
      }),
    ).toEqual([]);
  });

  it('refuses a severity override that would make an alert defined per severity into duplicates', () => {
    expect(issuesOf({ alerts: { MetalLBAddressPoolUsageHigh: { severity: 'warning' } } })).toHaveLength(1);
    expect(issuesOf({ alerts: { MetalLBAddressPoolUsageHigh: { severity: 'critical' } } })[0]).toMatch(
      /^alerts\.MetalLBAddressPoolUsageHigh\.severity: MetalLBAddressPoolUsageHigh fires at warning and critical/,
    );
    expect(issuesOf({ alerts: { MetalLBBGPSessionDown: { severity: 'warning' } } })).toEqual([]);
  });

  it('refuses a config file larger than 1 MiB without reading it whole, and /dev/zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'metallb-mixin-config-'));
    try {
      const huge = join(dir, 'huge.yaml');
      writeFileSync(huge, `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
      expect(() => loadConfigFile(huge)).toThrow(/huge\.yaml.*\n.*larger than 1 MiB/);
      const justUnder = join(dir, 'under.yaml');
      writeFileSync(justUnder, `# ${'x'.repeat(1024 * 1024 - 40)}\nclusterLabel: k8s_cluster\n`);
      expect(loadConfigFile(justUnder).clusterLabel).toBe('k8s_cluster');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (existsSync('/dev/zero')) expect(() => loadConfigFile('/dev/zero')).toThrow(/larger than 1 MiB/);
  });
});

describe('the config validator npm run compile writes', () => {
  // The CLI loads dist/'s compiled validator; these tests and a source checkout compile the schema.
  // Both must accept, fill in and refuse exactly the same.
  const compiledFile = join(repoRoot, 'dist', 'mixin', 'config', compiledValidatorFile);
  const compiled = createRequire(import.meta.url)(compiledFile) as ValidateFunction;
  const atRunTime = newConfigAjv().compile(configSchema);
  const inputs: Record<string, unknown> = {
    'no settings': {},
    'a few settings': { clusterLabel: 'k8s_cluster', thresholds: { bgpFlaps: 3 }, alerts: { MetalLBBGPSessionDown: { for: '2m' } } },
    'an unknown key, a wrong type and a bad duration': {
      bogus: 1,
      thresholds: { bgpFlaps: 'many' },
      alerts: { MetalLBBGPSessionDown: { for: '5x' } },
    },
    'a value out of range': { thresholds: { webhookErrorRatio: 2 } },
  };
  it.each(Object.entries(inputs))('%s', (_name, input) => {
    const [a, b] = [structuredClone(input), structuredClone(input)];
    expect(compiled(a)).toBe(atRunTime(b));
    expect(a).toEqual(b);
    expect(compiled.errors ?? null).toEqual(atRunTime.errors ?? null);
  });
});
