import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generate } from '../mixin/build.js';
import type { Component } from '../mixin/catalogue.js';
import { defaultConfig, resolveConfig } from '../mixin/config/load.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { parsePromQL } from '../mixin/promql/parse.js';
import { formatNames, outputFormats } from '../mixin/render/formats.js';
import { parseManifests, type K8sObject } from './helpers/manifests.js';
import { onlyBlock } from './helpers/markdown.js';
import { matches, selectorMatchers } from './helpers/selectors.js';
import { repoRoot, runCli, snapshotTree, tempDir } from './helpers/cli.js';
import { alertsSection } from '../mixin/config/sections/alerts.js';

const allFormats = resolveConfig({ outputs: { formats: [...formatNames] } });

/** Every Kubernetes manifest a build with `cfg` writes, by path. */
function manifests(cfg: MixinConfig): Map<string, K8sObject[]> {
  const { files } = generate(cfg);
  const out = new Map<string, K8sObject[]>();
  for (const [path, text] of files) if (path.startsWith('kubernetes/')) out.set(path, parseManifests(text, path));
  return out;
}

const only = (objects: K8sObject[] | undefined, path: string): K8sObject => {
  expect(objects, path).toHaveLength(1);
  return (objects ?? [])[0] as K8sObject;
};

describe('Kubernetes manifests', () => {
  it('all parse, with apiVersion, kind and DNS-valid names, and what is applied together never conflicts', () => {
    const all = manifests(allFormats);
    expect([...all.values()].flat().length).toBeGreaterThan(0);
    // The monitor files are alternatives per MetalLB line; frr-k8s goes with 0.16.
    const monitorLines = [['metallb-0.16.yaml', 'frr-k8s.yaml'], ['metallb-0.15.yaml']];
    const shared = [...all.keys()].filter((p) => !p.startsWith('kubernetes/monitors/'));
    for (const line of monitorLines) {
      const applied = [...shared, ...line.map((f) => `kubernetes/monitors/${f}`)].flatMap((p) => all.get(p) ?? []);
      const seen = new Map<string, string>();
      for (const o of applied) {
        const key = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
        // Identical copies (the discovery Role when frr-k8s shares MetalLB's namespace) apply cleanly.
        if (seen.has(key)) expect(JSON.stringify(o), `${key} defined twice, differently`).toBe(seen.get(key));
        seen.set(key, JSON.stringify(o));
      }
    }
  });

  it('the PrometheusRule holds exactly the groups of the two rule files, alerts first', () => {
    const { files } = generate(defaultConfig());
    const rule = only(manifests(defaultConfig()).get('kubernetes/prometheus-rule.yaml'), 'prometheus-rule.yaml');
    const alerts = parseYaml(files.get('prometheus_alerts.yaml') ?? '') as { groups: unknown[] };
    const records = parseYaml(files.get('prometheus_rules.yaml') ?? '') as { groups: unknown[] };
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.kind).toBe('PrometheusRule');
    expect((rule['spec'] as { groups: unknown[] }).groups).toEqual([...alerts.groups, ...records.groups]);
    expect(alerts.groups.length).toBeGreaterThan(0);
  });

  it('the PrometheusRule carries the labels kube-prometheus gives its own rules by default', () => {
    const rule = only(manifests(defaultConfig()).get('kubernetes/prometheus-rule.yaml'), 'prometheus-rule.yaml');
    // kube-prometheus's ruleLabels (components/*.libsonnet): a Prometheus selecting on either keeps working.
    expect(rule.metadata.labels).toMatchObject({ prometheus: 'k8s', role: 'alert-rules' });
    expect(rule.metadata.namespace).toBe('monitoring');
  });

  it('takes the PrometheusRule name, namespace and labels from the config', () => {
    const cfg = resolveConfig({
      outputs: { prometheusRule: { name: 'lb-rules', namespace: 'observability', labels: { release: 'kube-prometheus-stack' } } },
    });
    const rule = only(manifests(cfg).get('kubernetes/prometheus-rule.yaml'), 'prometheus-rule.yaml');
    expect(rule.metadata).toEqual({ name: 'lb-rules', namespace: 'observability', labels: { release: 'kube-prometheus-stack' } });
  });

  it('rejects a PrometheusRule name that is not a DNS label', () => {
    expect(() => resolveConfig({ outputs: { prometheusRule: { name: 'MetalLB_Rules' } } })).toThrow(/outputs\.prometheusRule\.name/);
  });

  it('one sidecar ConfigMap per dashboard, each holding exactly that dashboard file, byte for byte', () => {
    const cfg = defaultConfig();
    const { files, mixin } = generate(cfg);
    const dashboards = Object.keys(mixin.grafanaDashboards);
    expect(dashboards.length).toBeGreaterThan(0);
    const all = manifests(cfg);
    const configMaps = [...all.entries()].filter(([p]) => p.startsWith('kubernetes/dashboards/'));
    expect(configMaps).toHaveLength(dashboards.length);
    for (const [path, objects] of configMaps) {
      const cm = only(objects, path);
      expect(cm.kind).toBe('ConfigMap');
      const data = cm['data'] as Record<string, string>;
      expect(Object.keys(data)).toHaveLength(1);
      const [file] = Object.keys(data) as [string];
      expect(dashboards).toContain(file);
      expect(data[file]).toBe(files.get(`dashboards/${file}`));
      expect(cm.metadata.name).toBe(`grafana-dashboard-${file.replace(/\.json$/, '')}`);
      expect(cm.metadata.labels).toEqual({ grafana_dashboard: '1' });
    }
  });

  it('ConfigMap namespace, labels and annotations are configurable', () => {
    const cfg = resolveConfig({
      outputs: {
        dashboardConfigMaps: { namespace: 'grafana', labels: { grafana_dashboard: 'metallb' }, annotations: { grafana_folder: 'MetalLB' } },
      },
    });
    const configMaps = [...manifests(cfg).entries()].filter(([p]) => p.startsWith('kubernetes/dashboards/'));
    expect(configMaps.length).toBeGreaterThan(0);
    for (const [path, objects] of configMaps) {
      const cm = only(objects, path);
      expect(cm.metadata.namespace).toBe('grafana');
      expect(cm.metadata.labels).toEqual({ grafana_dashboard: 'metallb' });
      expect(cm.metadata.annotations).toEqual({ grafana_folder: 'MetalLB' });
    }
  });

  it('grafana-operator dashboards are off by default', () => {
    const { files } = generate(defaultConfig());
    expect([...files.keys()].filter((p) => p.includes('grafana-operator'))).toEqual([]);
  });

  it('when enabled, one GrafanaDashboard v1beta1 per dashboard with the configured instanceSelector and folder', () => {
    const cfg = resolveConfig({
      outputs: {
        formats: ['dashboards', 'grafana-operator'],
        grafanaOperator: { instanceSelector: { team: 'net' }, folder: 'Networking', namespace: 'grafana' },
      },
    });
    const { files, mixin } = generate(cfg);
    const resources = [...manifests(cfg).entries()].filter(([p]) => p.startsWith('kubernetes/grafana-operator/'));
    expect(resources).toHaveLength(Object.keys(mixin.grafanaDashboards).length);
    expect(resources.length).toBeGreaterThan(0);
    for (const [path, objects] of resources) {
      const gd = only(objects, path);
      expect(gd.apiVersion).toBe('grafana.integreatly.org/v1beta1');
      expect(gd.kind).toBe('GrafanaDashboard');
      expect(gd.metadata.namespace).toBe('grafana');
      const spec = gd['spec'] as { instanceSelector: unknown; folder: string; json: string };
      expect(spec.instanceSelector).toEqual({ matchLabels: { team: 'net' } });
      expect(spec.folder).toBe('Networking');
      expect(spec.json).toBe(files.get(`dashboards/${gd.metadata.name}.json`));
    }
  });
});

interface PodPort {
  readonly name: string;
  readonly port: number;
  readonly scheme: 'http' | 'https';
  readonly container: string;
  readonly component: Component;
}

/** One release's pods of one kind: the metrics ports their containers declare (metallb-metrics.md §2.1, §7). */
interface PodVariant {
  readonly file: string;
  readonly release: string;
  readonly pods: 'controller' | 'speaker' | 'frrK8s';
  readonly ports: readonly PodPort[];
}

const ctl = (name: string, port: number, scheme: 'http' | 'https'): PodPort => ({
  name,
  port,
  scheme,
  container: 'controller',
  component: 'controller',
});
const spk = (name: string, port: number, scheme: 'http' | 'https'): PodPort => ({
  name,
  port,
  scheme,
  container: 'speaker',
  component: 'speaker',
});
const frr = (name: string, port: number, scheme: 'http' | 'https'): PodPort => ({
  name,
  port,
  scheme,
  container: 'frr-metrics',
  component: 'frrMetrics',
});
const m15 = 'kubernetes/monitors/metallb-0.15.yaml';
const m16 = 'kubernetes/monitors/metallb-0.16.yaml';
const mFrrK8s = 'kubernetes/monitors/frr-k8s.yaml';

const podVariants: readonly PodVariant[] = [
  { file: m15, release: '0.13-0.15', pods: 'controller', ports: [ctl('monitoring', 7472, 'http')] },
  { file: m15, release: '0.13-0.15 native', pods: 'speaker', ports: [spk('monitoring', 7472, 'http')] },
  // Up to 0.15.2 the sidecar's port has the speaker's port name: only its number tells them apart.
  { file: m15, release: '0.13-0.15.2 FRR', pods: 'speaker', ports: [spk('monitoring', 7472, 'http'), frr('monitoring', 7473, 'http')] },
  { file: m15, release: '0.15.3 FRR', pods: 'speaker', ports: [spk('monitoring', 7472, 'http'), frr('frrmetrics', 7473, 'http')] },
  { file: m16, release: '0.16', pods: 'controller', ports: [ctl('metricshttps', 9120, 'https')] },
  { file: m16, release: '0.16 native', pods: 'speaker', ports: [spk('metricshttps', 9120, 'https')] },
  { file: m16, release: '0.16 FRR', pods: 'speaker', ports: [spk('metricshttps', 9120, 'https'), frr('frrmetricshttps', 9121, 'https')] },
  {
    file: mFrrK8s,
    release: 'frr-k8s <= v0.0.22',
    pods: 'frrK8s',
    ports: [
      { name: 'metricshttps', port: 9140, scheme: 'https', container: 'controller', component: 'frrK8s' },
      { name: 'metricshttps', port: 9141, scheme: 'https', container: 'frr-metrics', component: 'frrK8s' },
    ],
  },
  {
    file: mFrrK8s,
    release: 'frr-k8s >= v0.0.23',
    pods: 'frrK8s',
    ports: [
      { name: 'metricshttps', port: 9140, scheme: 'https', container: 'controller', component: 'frrK8s' },
      { name: 'frrmetricshttps', port: 9141, scheme: 'https', container: 'frr-metrics', component: 'frrK8s' },
    ],
  },
];

interface ScrapedEndpoint {
  file: string;
  release: string;
  podPort: PodPort;
  port: number;
  endpoint: Record<string, unknown>;
  /** Target labels as the Prometheus Operator sets them. */
  labels: Record<string, string>;
}

interface ServicePort {
  name: string;
  port: number;
  targetPort: number | string;
}

/**
 * Whether the endpoint's relabelings keep a target whose labels are `meta` (a keep action drops the
 * target unless its anchored regex matches the joined source labels; absent labels read as "").
 */
function kept(endpoint: Record<string, unknown>, meta: Record<string, string>): boolean {
  const relabelings = (endpoint['relabelings'] ?? []) as { action?: string; sourceLabels?: string[]; regex?: string; separator?: string }[];
  return relabelings.every((r) => {
    if (r.action !== 'keep') return true;
    const value = (r.sourceLabels ?? []).map((l) => meta[l] ?? '').join(r.separator ?? ';');
    return new RegExp(`^(?:${r.regex ?? '(.*)'})$`).test(value);
  });
}

/**
 * What the Prometheus Operator would scrape from each ServiceMonitor, for each release's pods: it
 * selects Services by label in the listed namespaces, resolves each endpoint's `port` to a Service
 * port, whose targetPort (number or name) picks the pod port; a numeric targetPort reaches every
 * pod, but only pods whose containers declare the port carry `__meta_kubernetes_pod_container_*`.
 * `job` is the Service's `jobLabel` label when the monitor names one the Service has, else the
 * Service name.
 */
function scrapedEndpoints(cfg: MixinConfig): ScrapedEndpoint[] {
  const out: ScrapedEndpoint[] = [];
  for (const [file, objects] of manifests(cfg)) {
    if (!file.startsWith('kubernetes/monitors/')) continue;
    const services = objects.filter((o) => o.kind === 'Service');
    for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
      const spec = monitor['spec'] as {
        selector: { matchLabels: Record<string, string> };
        namespaceSelector: { matchNames: string[] };
        jobLabel?: string;
        endpoints: Record<string, unknown>[];
      };
      const selected = services.filter(
        (s) =>
          spec.namespaceSelector.matchNames.includes(s.metadata.namespace ?? '') &&
          Object.entries(spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v),
      );
      expect(selected, `${file}: ServiceMonitor ${monitor.metadata.name} selects no Service`).not.toHaveLength(0);
      for (const svc of selected) {
        const svcSpec = svc['spec'] as { selector: Record<string, string>; ports: ServicePort[] };
        const pods = Object.entries(cfg.outputs.monitors.podSelectors).find(
          ([, sel]) => JSON.stringify(sel) === JSON.stringify(svcSpec.selector),
        )?.[0];
        expect(pods, `${file}: Service ${svc.metadata.name} selects no MetalLB component`).toBeDefined();
        const job = (spec.jobLabel && svc.metadata.labels?.[spec.jobLabel]) || svc.metadata.name;
        for (const endpoint of spec.endpoints) {
          const servicePort = svcSpec.ports.find((p) => p.name === endpoint['port']);
          expect(servicePort, `${file}: endpoint port ${String(endpoint['port'])} is not a port of ${svc.metadata.name}`).toBeDefined();
          if (!servicePort) continue;
          for (const variant of podVariants.filter((v) => v.file === file && v.pods === pods)) {
            // Kubernetes resolves a named targetPort to the first container port of that name.
            const podPort =
              typeof servicePort.targetPort === 'number'
                ? variant.ports.find((p) => p.port === servicePort.targetPort)
                : variant.ports.find((p) => p.name === servicePort.targetPort);
            if (typeof servicePort.targetPort === 'string' && podPort === undefined) continue; // no endpoint at all
            const meta: Record<string, string> = podPort
              ? {
                  __meta_kubernetes_pod_container_port_number: String(podPort.port),
                  __meta_kubernetes_pod_container_name: podPort.container,
                }
              : {};
            if (!kept(endpoint, meta)) continue;
            expect(
              podPort,
              `${file} ${variant.release}: port ${servicePort.targetPort} scraped on pods that do not declare it`,
            ).toBeDefined();
            if (!podPort) continue;
            out.push({
              file,
              release: variant.release,
              podPort,
              port: Number(servicePort.targetPort === podPort.name ? podPort.port : servicePort.targetPort),
              endpoint,
              labels: {
                job,
                namespace: svc.metadata.namespace ?? '',
                service: svc.metadata.name,
                endpoint: String(endpoint['port']),
                container: podPort.container,
              },
            });
          }
        }
      }
    }
  }
  return out;
}

describe('ServiceMonitor examples', () => {
  const cfg = defaultConfig();
  const endpoints = scrapedEndpoints(cfg);

  it('scrape every metrics port of every release exactly once, and nothing the pods do not declare', () => {
    for (const variant of podVariants) {
      const scraped = endpoints.filter((e) => e.file === variant.file && e.release === variant.release).map((e) => e.podPort);
      expect(scraped, `${variant.file} ${variant.release}`).toHaveLength(variant.ports.length);
      expect(new Set(scraped), `${variant.file} ${variant.release}`).toEqual(new Set(variant.ports));
    }
  });

  it('cover the controller, the speaker, the FRR-mode sidecar and frr-k8s for each MetalLB line', () => {
    const covered = (file: string) => new Set(endpoints.filter((e) => e.file === file).map((e) => e.podPort.component));
    expect(covered(m16)).toEqual(new Set(['controller', 'speaker', 'frrMetrics']));
    expect(covered(m15)).toEqual(new Set(['controller', 'speaker', 'frrMetrics']));
    expect(covered(mFrrK8s)).toEqual(new Set(['frrK8s']));
  });

  it("give each endpoint a job (and container) that the mixin's default selector of its component matches, and no other", () => {
    expect(endpoints.length).toBeGreaterThan(0);
    const components: Component[] = ['controller', 'speaker', 'frrMetrics', 'frrK8s'];
    for (const e of endpoints) {
      const matching = components.filter((c) => matches(selectorMatchers(cfg, c), e.labels));
      expect(matching, `${e.file} ${e.release} ${JSON.stringify(e.labels)}`).toEqual([e.podPort.component]);
    }
  });

  it('scrape by port number: >= 0.16 HTTPS 9120/9121 with a token from a Secret, frr-k8s 9140/9141, <= 0.15 HTTP 7472/7473', () => {
    for (const e of endpoints) {
      expect(e.port, `${e.file} ${e.release} ${e.podPort.name}`).toBe(e.podPort.port);
      expect(e.endpoint['scheme']).toBe(e.podPort.scheme);
      // honorLabels keeps the `service` label of metallb_speaker_announced (metallb-metrics.md §1.3).
      expect(e.endpoint['honorLabels']).toBe(true);
      // The Prometheus Operator deprecates bearerTokenFile and refuses it under arbitraryFSAccessThroughSMs.deny.
      expect(e.endpoint['bearerTokenFile']).toBeUndefined();
      if (e.podPort.scheme === 'https') {
        expect(e.endpoint['authorization']).toEqual({ type: 'Bearer', credentials: { name: 'metallb-mixin-scraper-token', key: 'token' } });
        expect(e.endpoint['tlsConfig']).toEqual({ insecureSkipVerify: true });
      } else {
        expect(e.endpoint['authorization']).toBeUndefined();
        expect(e.endpoint['tlsConfig']).toBeUndefined();
      }
    }
  });

  it('grant the Prometheus ServiceAccount discovery in the MetalLB namespaces and, for HTTPS, a scraper token allowed GET /metrics', () => {
    const sa = { kind: 'ServiceAccount', name: 'prometheus-k8s', namespace: 'monitoring' };
    for (const [file, objects] of manifests(cfg)) {
      if (!file.startsWith('kubernetes/monitors/')) continue;
      const binding = objects.find((o) => o.kind === 'RoleBinding');
      expect(binding?.['subjects'], file).toEqual([sa]);
      const https = !file.includes('0.15');
      const clusterRole = objects.find((o) => o.kind === 'ClusterRole');
      expect(clusterRole !== undefined, file).toBe(https);
      if (!clusterRole) continue;
      expect(clusterRole['rules']).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
      const scraper = { kind: 'ServiceAccount', name: 'metallb-mixin-scraper', namespace: 'metallb-system' };
      expect(objects.find((o) => o.kind === 'ClusterRoleBinding')?.['subjects'], file).toEqual([scraper]);
      expect(
        objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === scraper.name && o.metadata.namespace === scraper.namespace),
      ).toBe(true);
      const secret = objects.find((o) => o.kind === 'Secret');
      expect(secret?.metadata).toMatchObject({
        name: 'metallb-mixin-scraper-token',
        namespace: 'metallb-system',
        annotations: { 'kubernetes.io/service-account.name': 'metallb-mixin-scraper' },
      });
      expect(secret?.['type']).toBe('kubernetes.io/service-account-token');
    }
  });

  it('follow the namespaces, labels and pod selectors of the config', () => {
    const custom = resolveConfig({
      outputs: {
        monitors: {
          namespace: 'lb',
          frrK8sNamespace: 'frr-k8s-system',
          labels: { release: 'kube-prometheus-stack' },
          podSelectors: { speaker: { app: 'metallb', component: 'speaker' } },
        },
      },
    });
    const eps = scrapedEndpoints(custom);
    expect(new Set(eps.filter((e) => e.file.includes('frr-k8s')).map((e) => e.labels['namespace']))).toEqual(new Set(['frr-k8s-system']));
    expect(new Set(eps.filter((e) => !e.file.includes('frr-k8s')).map((e) => e.labels['namespace']))).toEqual(new Set(['lb']));
    for (const objects of manifests(custom).values()) {
      for (const m of objects.filter((o) => o.kind === 'ServiceMonitor'))
        expect(m.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    }
    expect(eps.some((e) => e.podPort.component === 'speaker')).toBe(true);
    // A standalone frr-k8s gets its own scraper and binding, which apply beside MetalLB's.
    const bindings = [...manifests(custom).values()].flat().filter((o) => o.kind === 'ClusterRoleBinding');
    expect(bindings.map((b) => b['subjects'])).toEqual(
      expect.arrayContaining([
        [{ kind: 'ServiceAccount', name: 'metallb-mixin-scraper', namespace: 'lb' }],
        [{ kind: 'ServiceAccount', name: 'metallb-mixin-scraper', namespace: 'frr-k8s-system' }],
      ]),
    );
    expect(new Set(bindings.map((b) => b.metadata.name)).size).toBe(2);
  });
});

describe('--format and --help', () => {
  it('--help lists every option of build and every format with the files it writes', () => {
    const run = runCli(['build', '--help']);
    expect(run.status).toBe(0);
    for (const option of ['--config', '--out', '--format', '--require-promtool', '--help']) expect(run.stdout).toContain(option);
    for (const f of outputFormats)
      expect(run.stdout).toMatch(new RegExp(`^\\s+${f.name}\\s+${f.files.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  it.each([
    [['prometheus'], /^prometheus_(alerts|rules)\.yaml$/],
    [['monitors'], /^kubernetes\/monitors\/[a-z0-9.-]+\.yaml$/],
    [['alertmanager'], /^alertmanager\//],
    [['jsonnet'], /^(mixin\.libsonnet|jsonnetfile\.json|jsonnet\/(lib|alerts|rules|dashboards\/metallb-[a-z0-9-]+)\.libsonnet)$/],
  ])('--format %j writes only its files', (formats, pattern) => {
    const out = join(tempDir('format'), 'out');
    const run = runCli(['build', '--out', out, '--format', ...formats]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The marker by which a later build knows the folder as its own belongs to every format.
    const written = [...snapshotTree(out).keys()].filter((p) => p !== '.metallb-mixin-files');
    expect(written.length).toBeGreaterThan(0);
    for (const path of written) expect(path).toMatch(pattern);
  });

  it('by default writes every format but grafana-operator', () => {
    const out = join(tempDir('format'), 'out');
    expect(runCli(['build', '--out', out]).status).toBe(0);
    const top = readdirSync(out).sort();
    expect(top).toEqual(
      expect.arrayContaining(['alertmanager', 'dashboards', 'jsonnet', 'kubernetes', 'mixin.libsonnet', 'prometheus_alerts.yaml']),
    );
    expect(readdirSync(join(out, 'kubernetes')).sort()).toEqual(['dashboards', 'monitors', 'prometheus-rule.yaml']);
  });

  it('rejects an unknown format, naming the choices', () => {
    const run = runCli(['build', '--out', join(tempDir('format'), 'out'), '--format', 'helm']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/helm.*choices/s);
  });
});

/** Every panel title of a dashboard, rows and nested panels included. */
function panelTitles(dashboard: unknown): Set<string> {
  const titles = new Set<string>();
  const walk = (panels: unknown) => {
    if (!Array.isArray(panels)) return;
    for (const p of panels as { title?: unknown; panels?: unknown }[]) {
      if (typeof p.title === 'string') titles.add(p.title);
      walk(p.panels);
    }
  };
  walk((dashboard as { panels?: unknown }).panels);
  return titles;
}

describe('docs/runbooks.md', () => {
  const text = readFileSync(join(repoRoot, 'docs', 'runbooks.md'), 'utf8');
  const sections = new Map<string, string>();
  for (const part of text.split(/^## /m).slice(1)) {
    const [heading = '', ...body] = part.split('\n');
    sections.set(heading.trim(), body.join('\n'));
  }
  const { mixin } = generate(defaultConfig());
  const emitted = mixin.prometheusAlerts.groups.flatMap((g) => g.rules.map((r) => r.alert));
  // Alerts a default build leaves out (disabled, or for a BGP mode that is off) still need a runbook.
  const alerts = new Set([...emitted, ...Object.keys(alertsSection.properties)]);

  it('has one section per alert of the mixin, and none for an alert that does not exist', () => {
    expect(alerts.size).toBeGreaterThan(0);
    expect(new Set(sections.keys())).toEqual(alerts);
    expect(text.match(/^## /gm)).toHaveLength(sections.size);
  });

  it("is where every alert's default runbook_url points: the heading's GitHub anchor", () => {
    for (const group of mixin.prometheusAlerts.groups) {
      for (const rule of group.rules) {
        const url = rule.annotations['runbook_url'] ?? '';
        expect(url).toBe(`https://github.com/metallb-mixin/metallb-mixin/blob/main/docs/runbooks.md#${rule.alert.toLowerCase()}`);
        expect(url).toMatch(/\/docs\/runbooks\.md#[a-z0-9]+$/);
        // GitHub anchors a heading by lower-casing it; these headings are bare alert names.
        expect(sections.has(rule.alert)).toBe(true);
        expect(url.split('#')[1]).toBe(rule.alert.toLowerCase());
      }
    }
  });

  it('says for every alert what it means, the impact, how to diagnose (kubectl, PromQL, a dashboard panel) and mitigate', () => {
    for (const [alert, body] of sections) {
      for (const part of ['### Meaning', '### Impact', '### Diagnosis', '### Mitigation'])
        expect(body, `${alert}: ${part}`).toContain(part);
      expect(body, `${alert}: a kubectl command`).toMatch(/```sh\n(.*\n)*?kubectl /);
      expect(body, `${alert}: a PromQL query`).toContain('```promql');
      expect(body, `${alert}: a dashboard panel`).toMatch(/\*MetalLB \/ [^*]+\* → \*[^*]+\*/);
    }
  });

  it('names only dashboard panels that exist', () => {
    const byTitle = new Map(Object.values(mixin.grafanaDashboards).map((d) => [String(d['title']), panelTitles(d)]));
    const references = [...text.matchAll(/\*(MetalLB \/ [^*]+)\* → \*([^*]+)\*/g)];
    expect(references.length).toBeGreaterThanOrEqual(sections.size);
    for (const [, wrappedDashboard = '', wrappedPanel = ''] of references) {
      // A reference may wrap across lines, as markdown allows.
      const [dashboard, panel] = [wrappedDashboard, wrappedPanel].map((t) => t.replace(/\s+/g, ' '));
      expect(byTitle.has(dashboard ?? ''), `dashboard ${dashboard}`).toBe(true);
      expect(byTitle.get(dashboard ?? '')?.has(panel ?? ''), `${dashboard} → ${panel}`).toBe(true);
    }
  });

  it('every PromQL block parses', () => {
    for (const [alert, body] of sections) {
      for (const [, block = ''] of body.matchAll(/```promql\n([\s\S]*?)```/g)) {
        for (const line of block.split('\n').filter((l) => l.trim().length > 0)) {
          const query = line.replace(/<[a-z ]+>/g, 'x');
          expect(parsePromQL(query).problems, `${alert}: ${line}`).toEqual([]);
        }
      }
    }
  });
});

describe('the plain Prometheus snippet of the README', () => {
  const doc = join(repoRoot, 'README.md');
  const section = 'Plain Prometheus';
  const snippet = onlyBlock(doc, section, 'yaml', 'scrape_configs');
  const cfg = resolveConfig(parseYaml(onlyBlock(doc, section, 'yaml', 'selectors:')));

  it('passes promtool check config, with the rule files the documented config builds', () => {
    const dir = tempDir('plain-prometheus');
    const out = join(dir, 'metallb-mixin');
    mkdirSync(out);
    const { files } = generate(cfg);
    for (const f of ['prometheus_alerts.yaml', 'prometheus_rules.yaml']) writeFileSync(join(out, f), files.get(f) ?? '');
    // Debian builds Prometheus without the Kubernetes service discovery, so promtool there rejects
    // kubernetes_sd_configs; a static target in its place keeps every other field under check. The
    // token file exists only in a pod, and promtool opens it: a stand-in file takes its place.
    const token = join(dir, 'token');
    writeFileSync(token, 'stand-in');
    const config = parseYaml(snippet) as { scrape_configs: Record<string, unknown>[] };
    for (const job of config.scrape_configs) {
      expect(job['kubernetes_sd_configs']).toBeDefined();
      delete job['kubernetes_sd_configs'];
      job['static_configs'] = [{ targets: ['127.0.0.1:9120'] }];
      const auth = job['authorization'] as { credentials_file: string };
      expect(auth.credentials_file).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
      auth.credentials_file = token;
    }
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const run = spawnSync('promtool', ['check', 'config', 'prometheus.yml'], { cwd: dir, encoding: 'utf8' });
    expect(run.error, 'promtool must be installed').toBeUndefined();
    expect(`${run.stdout}${run.stderr}`).toMatch(/SUCCESS: 2 rule files found/);
    expect(run.status, run.stderr).toBe(0);
  });

  it('scrapes jobs that the documented selectors match, one component each, speaker and sidecar told apart by container', () => {
    const jobs = (parseYaml(snippet) as { scrape_configs: { job_name: string }[] }).scrape_configs.map((c) => c.job_name);
    const targets: [Record<string, string>, Component][] = [
      [{ job: jobs[0] ?? '', container: 'controller' }, 'controller'],
      [{ job: jobs[1] ?? '', container: 'speaker' }, 'speaker'],
      [{ job: jobs[1] ?? '', container: 'frr-metrics' }, 'frrMetrics'],
      [{ job: jobs[2] ?? '', container: 'controller' }, 'frrK8s'],
    ];
    expect(jobs).toHaveLength(3);
    const components: Component[] = ['controller', 'speaker', 'frrMetrics', 'frrK8s'];
    for (const [labels, component] of targets) {
      expect(
        components.filter((c) => matches(selectorMatchers(cfg, c), labels)),
        JSON.stringify(labels),
      ).toEqual([component]);
    }
  });
});
