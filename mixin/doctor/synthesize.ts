import { stringify } from 'yaml';
import { bgpModes, metallbComponents, type Component } from '../catalogue.js';
import { defaultConfig, resolveConfig } from '../config/load.js';
import type { MixinConfig } from '../config/schema.js';
import { matcherAccepts, selectorsOf, type LabelMatcher } from '../promql/inspect.js';
import { describeComponent, groupsOf, type Facts, type ScrapeGroup } from './discover.js';
import { printable, yamlComment } from './printable.js';
import { oneOf } from './promql.js';

/** The first line of every config the doctor writes: how it knows a file it may replace. */
export const writtenByDoctor = '# metallb-mixin config written by `metallb-mixin doctor`';

export interface ConfigChange {
  /** Dotted config path, e.g. `selectors.speaker`. */
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly why: string;
}

export interface ConfigFix {
  /** The config checked, with the changes applied and resolved. */
  readonly config: MixinConfig;
  /** Only the keys that differ from the defaults: what goes into the file. */
  readonly minimal: Record<string, unknown>;
  readonly yaml: string;
  readonly changes: readonly ConfigChange[];
  /** What the doctor could not fix from the series alone. */
  readonly warnings: readonly string[];
}

function matches(m: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  // Labels the group does not record cannot be judged from here: assume the matcher lets them through.
  const value = labels[m.label];
  return value === undefined || matcherAccepts(m, value);
}

function accepts(selectorText: string, labels: Readonly<Record<string, string>>): boolean {
  const matchers = selectorsOf(`up{${selectorText}}`)[0]?.matchers ?? [];
  return matchers.every((m) => matches(m, labels));
}

const groupLabels = (g: ScrapeGroup) => ({ job: g.job, namespace: g.namespace, container: g.container });

/** The component's series, and no other component's, in the fewest matchers the groups allow. */
function rebuildSelector(component: Component, own: readonly ScrapeGroup[], others: readonly ScrapeGroup[], warnings: string[]): string {
  const jobs = [...new Set(own.map((g) => g.job))].sort();
  const sharing = others.filter((g) => jobs.includes(g.job));
  if (sharing.length === 0) return oneOf('job', jobs);
  const containers = [...new Set(own.map((g) => g.container))].sort();
  const clash = sharing.some((g) => containers.includes(g.container));
  if (!containers.includes('') && !clash) return `${oneOf('job', jobs)},${oneOf('container', containers)}`;
  warnings.push(
    `selectors.${component}: job ${jobs.join(', ')} also holds other components and no container label tells them apart; add a matcher by hand`,
  );
  return oneOf('job', jobs);
}

function diff(value: unknown, base: unknown): unknown {
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof base === 'object' &&
    base !== null &&
    !Array.isArray(base)
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const d = diff(v, (base as Record<string, unknown>)[k]);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return JSON.stringify(value) === JSON.stringify(base) ? undefined : value;
}

/** The keys of `cfg` that differ from the defaults. */
function minimalConfig(cfg: MixinConfig): Record<string, unknown> {
  return (diff(cfg, defaultConfig()) as Record<string, unknown> | undefined) ?? {};
}

/**
 * The config that makes the mixin match what this Prometheus holds: selectors rebuilt from the
 * discovered jobs where the configured ones miss or overlap, the BGP modes seen, the cluster label
 * seen. Everything else of the checked config is kept. `source` names the Prometheus in the
 * file's header: pass it redacted.
 */
export function synthesizeConfig(cfg: MixinConfig, facts: Facts, source: string): ConfigFix {
  const changes: ConfigChange[] = [];
  const warnings: string[] = [];
  const selectors: Record<string, string> = { ...cfg.selectors };

  for (const component of metallbComponents) {
    const own = groupsOf(facts, component);
    if (own.length === 0) continue;
    const others = facts.groups.filter((g) => g.components.length > 0 && !g.components.includes(component));
    const current = cfg.selectors[component];
    const missed = own.filter((g) => !accepts(current, groupLabels(g)));
    const stray = others.filter((g) => accepts(current, groupLabels(g)));
    if (missed.length === 0 && stray.length === 0) continue;
    const rebuilt = rebuildSelector(component, own, others, warnings);
    const why =
      missed.length > 0
        ? `the ${describeComponent(component)} is scraped as ${[...new Set(missed.map((g) => `job="${g.job}"`))].join(', ')}, which the selector misses`
        : `the selector also matches ${[...new Set(stray.map((g) => `job="${g.job}"${g.container ? `,container="${g.container}"` : ''}`))].join(', ')}`;
    selectors[component] = rebuilt;
    changes.push({ path: `selectors.${component}`, from: current, to: rebuilt, why });
  }

  const ksmJobs = [...new Set(facts.kubeStateMetrics.map((k) => k.job))].sort();
  if (ksmJobs.length > 0 && ksmJobs.some((job) => !accepts(cfg.selectors.kubeStateMetrics, { job }))) {
    selectors['kubeStateMetrics'] = oneOf('job', ksmJobs);
    changes.push({
      path: 'selectors.kubeStateMetrics',
      from: cfg.selectors.kubeStateMetrics,
      to: selectors['kubeStateMetrics'],
      why: `kube-state-metrics is scraped as ${ksmJobs.map((j) => `job="${j}"`).join(', ')}`,
    });
  }

  let modes = cfg.bgp.modes;
  if (facts.bgpModes.length > 0 && JSON.stringify(facts.bgpModes) !== JSON.stringify(bgpModes.filter((m) => cfg.bgp.modes.includes(m)))) {
    modes = [...facts.bgpModes];
    changes.push({
      path: 'bgp.modes',
      from: cfg.bgp.modes,
      to: modes,
      why: `the series show BGP mode ${facts.bgpModes.join(', ')}; the other modes' queries match nothing`,
    });
  }

  let clusterLabel = cfg.clusterLabel;
  const detected = facts.cluster.detected;
  if (detected && detected !== cfg.clusterLabel) {
    clusterLabel = detected;
    changes.push({
      path: 'clusterLabel',
      from: cfg.clusterLabel,
      to: detected,
      why: `MetalLB series are split into clusters by ${detected}`,
    });
  }
  let showMultiCluster = cfg.showMultiCluster;
  if (facts.cluster.values.length > 1 && !showMultiCluster) {
    showMultiCluster = true;
    changes.push({
      path: 'showMultiCluster',
      from: false,
      to: true,
      why: `${facts.cluster.values.length} clusters: show the cluster variable and name the cluster in alerts`,
    });
  }

  const config = resolveConfig({ ...cfg, selectors, bgp: { ...cfg.bgp, modes }, clusterLabel, showMultiCluster }, 'doctor');
  const minimal = minimalConfig(config);
  // The reasons quote label values, which may hold line breaks: each comment stays one line.
  const header = [`${writtenByDoctor} from ${printable(source)}.`, ...changes.map((c) => yamlComment(`${c.path}: ${c.why}.`))].join('\n');
  const body = Object.keys(minimal).length > 0 ? stringify(minimal, { lineWidth: 0 }) : '{}\n';
  return { config, minimal, yaml: `${header}\n${body}`, changes, warnings };
}
