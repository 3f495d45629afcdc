import type { SyntaxNode } from '@lezer/common';
import { assembleMixin } from '../assemble.js';
import { bgpMetricName, bgpSources, lookupMetric, type BgpMode, type Component } from '../catalogue.js';
import type { MixinConfig } from '../config/schema.js';
import { componentOf, sameMatcher } from '../promql/components.js';
import { vectorSelectors, type LabelMatcher, type VectorSelectorInfo } from '../promql/inspect.js';
import { parsePromQL } from '../promql/parse.js';
import type { PrometheusClient } from './client.js';
import { describeComponent, groupsOf, type Facts, type Progress } from './discover.js';
import { checkedItems, type CheckedItem, type ItemKind } from './items.js';
import { liveness, type Liveness } from './liveness.js';
import { quote, selector } from './promql.js';

/** Why a selector that should match finds nothing; each has its own fix. */
export type BlindCause = 'job-selector' | 'bgp-mode' | 'cluster-label' | 'not-scraped' | 'targets-down';

const blindCauses: readonly BlindCause[] = ['job-selector', 'bgp-mode', 'cluster-label', 'not-scraped', 'targets-down'];

export interface Finding {
  /** The selector as queried (dashboard variables dropped, `--cluster` added). */
  readonly selector: string;
  readonly state: 'blind' | 'na';
  /** Set when blind. */
  readonly cause?: BlindCause;
  readonly detail: string;
}

export interface ItemResult {
  readonly kind: ItemKind;
  readonly name: string;
  readonly state: Liveness;
  /** What made it blind or not applicable; empty when live. */
  readonly findings: readonly Finding[];
}

export interface CheckResult {
  readonly items: readonly ItemResult[];
  readonly counts: Readonly<Record<Liveness, number>>;
}

interface SelectorVerdict {
  readonly state: Liveness;
  readonly findings: readonly Finding[];
}

const live: SelectorVerdict = { state: 'live', findings: [] };

const viaRecord = (name: string) => ` (via recording rule ${name})`;

/** A finding's detail without the recording rules it reached the item through: the same root cause reaches many items directly and through rules. */
export const rootCause = (detail: string): string => detail.replace(/( \(via recording rule [^)]*\))+$/, '');

function renderMatcher(m: LabelMatcher): string {
  return `${m.label}${m.op}${quote(m.value)}`;
}

// Why a metric of a component that is scraped can still have no series.
function absenceReason(metric: string): string {
  if (/^metallb_allocator_ipv[46]_/.test(metric)) return 'the per-family allocator gauges came with MetalLB 0.14';
  if (metric.startsWith('metallb_allocator_')) return 'no address pool is configured';
  if (metric.startsWith('metallb_layer2_')) return 'no layer 2 traffic for announced addresses (BGP only?)';
  if (metric === 'metallb_speaker_announced') return 'no Service is announced';
  if (/^(controller_runtime_|workqueue_|rest_client_)/.test(metric)) return 'controller-runtime metrics came with MetalLB 0.16';
  return 'the exporter emits none';
}

function jobsText(jobs: readonly string[]): string {
  const shown = jobs
    .slice(0, 5)
    .map((j) => `job="${j}"`)
    .join(', ');
  return jobs.length > 5 ? `${shown} and ${jobs.length - 5} more` : shown;
}

/**
 * Decides, selector by selector, whether the mixin built from `cfg` sees series in this
 * Prometheus, and why not where it does not. Queries are cached: the same selector appears in
 * many alerts and panels.
 */
class BlindChecker {
  private readonly selectorCache = new Map<string, Promise<SelectorVerdict>>();
  private readonly recordCache = new Map<string, Promise<SelectorVerdict>>();
  private readonly recordsInProgress = new Set<string>();
  private readonly records = new Map<string, CheckedItem[]>();

  constructor(
    private readonly client: PrometheusClient,
    private readonly cfg: MixinConfig,
    private readonly facts: Facts,
    items: readonly CheckedItem[],
  ) {
    for (const item of items) {
      if (item.kind === 'record') this.records.set(item.name, [...(this.records.get(item.name) ?? []), item]);
    }
  }

  private async count(expr: string): Promise<number> {
    const [row] = await this.client.query(`count(${expr})`);
    return row?.value ?? 0;
  }

  private async jobsWith(metric: string): Promise<string[]> {
    const rows = await this.client.query(`count by (job) (${selector(metric, this.facts.scope)})`);
    return rows.map((r) => r.metric['job'] ?? '').sort();
  }

  async item(item: CheckedItem): Promise<ItemResult> {
    const parsed = parsePromQL(item.expr);
    // The build lints every expression; what fails here is Grafana syntax that does not expand
    // to PromQL. Say so without failing the run over it.
    if (parsed.problems.length > 0) {
      return {
        kind: item.kind,
        name: item.name,
        state: 'na',
        findings: [{ selector: item.expr, state: 'na', detail: `not checked: ${parsed.problems[0]?.message ?? 'does not parse'}` }],
      };
    }
    const verdicts = new Map<number, SelectorVerdict>();
    for (const info of vectorSelectors(parsed)) verdicts.set(info.from, await this.selector(info));
    const verdict = liveness(parsed, (node: SyntaxNode) => verdicts.get(node.from)?.state ?? 'live');
    let state = verdict.state;
    const findings = verdict.culprits.flatMap((node) => verdicts.get(node.from)?.findings ?? []).filter((f) => f.state === state);

    const mismatch = this.clusterLabelMismatch();
    if (mismatch && state !== 'na' && this.mentionsClusterLabel(parsed.tree.topNode, parsed.expr, item)) {
      findings.push({ selector: item.expr, state: 'blind', cause: 'cluster-label', detail: mismatch });
      state = 'blind';
    }
    // One finding per metric and reason: a query reads FRR's BGP series once per `peer` spelling (Query.bgp).
    const metricOf = (selector: string) => selector.split('{')[0] ?? selector;
    const unique = new Map(findings.map((f) => [`${metricOf(f.selector)}\u0000${f.cause ?? ''}\u0000${f.detail}`, f]));
    return { kind: item.kind, name: item.name, state, findings: [...unique.values()] };
  }

  private clusterLabelMismatch(): string | undefined {
    const c = this.facts.cluster;
    if (!c.detected || c.detected === this.cfg.clusterLabel) return undefined;
    return `groups and filters by ${this.cfg.clusterLabel}, which MetalLB series do not carry; clusters are told apart by ${c.detected} (${c.values.length} value${c.values.length === 1 ? '' : 's'})`;
  }

  private mentionsClusterLabel(top: SyntaxNode, expr: string, item: CheckedItem): boolean {
    if (item.label === this.cfg.clusterLabel) return true;
    let found = false;
    top.cursor().iterate((n) => {
      if (n.name === 'LabelName' && expr.slice(n.from, n.to) === this.cfg.clusterLabel) found = true;
      return !found;
    });
    return found;
  }

  private selector(info: VectorSelectorInfo): Promise<SelectorVerdict> {
    const metric = info.metric;
    if (metric !== undefined && this.records.has(metric)) return this.record(metric);
    // Dashboard variables ($cluster, $instance) narrow to one value at view time; checking the
    // selector without them asks whether any value could show data.
    const matchers = info.matchers.filter(
      (m) => !m.value.includes('$') && !(m.label === '__name__' && m.op === '=' && metric !== undefined),
    );
    const text = selector(metric, [...matchers.map(renderMatcher), ...this.facts.scope]);
    let verdict = this.selectorCache.get(text);
    if (!verdict) {
      verdict = this.classify(metric, matchers, text);
      this.selectorCache.set(text, verdict);
    }
    return verdict;
  }

  /** A recorded series is as live as the rule that records it (the rules may not be loaded yet). */
  private record(name: string): Promise<SelectorVerdict> {
    // A record that reads its own last value (to outlast its window) is as live as its other operands.
    if (this.recordsInProgress.has(name)) return Promise.resolve({ state: 'const', findings: [] });
    let verdict = this.recordCache.get(name);
    if (!verdict) {
      verdict = (async () => {
        this.recordsInProgress.add(name);
        const results = await Promise.all((this.records.get(name) ?? []).map((r) => this.item(r)));
        this.recordsInProgress.delete(name);
        const state: Liveness = results.some((r) => r.state === 'live') ? 'live' : (results[0]?.state ?? 'const');
        if (state === 'live') return live;
        return { state, findings: results.flatMap((r) => r.findings.map((f) => ({ ...f, detail: `${f.detail}${viaRecord(name)}` }))) };
      })();
      this.recordCache.set(name, verdict);
    }
    return verdict;
  }

  // One sentence per configured mode that is not there, so a report groups dozens of BGP panels under it.
  private modeMismatch(mode: BgpMode): string {
    const source = bgpSources[mode];
    const here = this.facts.bgpModes.join(', ') || 'none';
    return `bgp.modes has ${mode} (${source.prefix}_bgp_*/${source.prefix}_bfd_* from the ${describeComponent(source.component)}), which is not here; the BGP series here are mode ${here}`;
  }

  /** The jobs under which the component's series were found. */
  private scrapedJobs(component: Component): string[] {
    const jobs =
      component === 'kubeStateMetrics' ? this.facts.kubeStateMetrics.map((k) => k.job) : groupsOf(this.facts, component).map((g) => g.job);
    return [...new Set(jobs)].sort();
  }

  /** No series of the component under any job: deployed but not scraped, all down, or not deployed at all. */
  private async componentAbsent(component: Component): Promise<SelectorVerdict> {
    const text = selector('up', [this.cfg.selectors[component], ...this.facts.scope]);
    if ((await this.count(`${text} == 0`)) > 0) {
      return {
        state: 'blind',
        findings: [
          { selector: text, state: 'blind', cause: 'targets-down', detail: `every ${describeComponent(component)} target is down` },
        ],
      };
    }
    const na = (detail: string): SelectorVerdict => ({ state: 'na', findings: [{ selector: text, state: 'na', detail }] });
    if (component === 'kubeStateMetrics') return na('kube-state-metrics is not scraped');
    // frr-k8s and the FRR sidecar exist only in their BGP modes; controller and speaker always do.
    if (component === 'frrK8s' || component === 'frrMetrics')
      return na(`no ${describeComponent(component)} here (BGP mode: ${this.facts.bgpModes.join(', ') || 'none'})`);
    return {
      state: 'blind',
      findings: [
        {
          selector: text,
          state: 'blind',
          cause: 'not-scraped',
          detail: `no ${describeComponent(component)} series under any job: is it scraped?`,
        },
      ],
    };
  }

  private async classify(metric: string | undefined, matchers: readonly LabelMatcher[], text: string): Promise<SelectorVerdict> {
    if ((await this.count(text)) > 0) return live;
    const blind = (cause: BlindCause, detail: string): SelectorVerdict => ({
      state: 'blind',
      findings: [{ selector: text, state: 'blind', cause, detail }],
    });
    const na = (detail: string): SelectorVerdict => ({ state: 'na', findings: [{ selector: text, state: 'na', detail }] });
    if (metric === undefined) return blind('not-scraped', 'no series match');
    if (metric === 'ALERTS') return na('no alert is active right now');

    const owner = componentOf(matchers, this.cfg);
    const entry = lookupMetric(metric)?.entry;
    const component = owner?.component ?? (entry?.components.length === 1 ? entry.components[0] : undefined);
    const scope = this.facts.scope;

    const jobs = await this.jobsWith(metric);
    if (jobs.length > 0) {
      if (owner && (await this.count(selector(metric, [...owner.own.map(renderMatcher), ...scope]))) > 0) {
        const extra = matchers.filter((m) => !owner.own.some((o) => sameMatcher(m, o))).map(renderMatcher);
        return na(`no ${metric} series with ${extra.join(', ')} right now`);
      }
      const mode = entry?.bgp && component ? entry.bgp.modes.find((m) => bgpSources[m].component === component) : undefined;
      if (mode && !this.facts.bgpModes.includes(mode)) return blind('bgp-mode', this.modeMismatch(mode));
      if (component) {
        const scraped = this.scrapedJobs(component);
        if (scraped.length > 0)
          return blind(
            'job-selector',
            `the ${describeComponent(component)} is scraped as ${jobsText(scraped)}, which selectors.${component} does not match`,
          );
        return this.componentAbsent(component);
      }
      return blind('job-selector', `${metric} exists under ${jobsText(jobs)}, not under this selector`);
    }

    if (entry?.bgp) {
      const family = entry.bgp.family;
      const siblings = family.modes.map((m: BgpMode) => bgpMetricName(family, m)).filter((n) => n !== metric);
      for (const sibling of [...new Set(siblings)]) {
        if ((await this.count(selector(sibling, scope))) > 0) {
          const mode = component ? entry.bgp.modes.find((m) => bgpSources[m].component === component) : undefined;
          return blind('bgp-mode', mode ? this.modeMismatch(mode) : `${metric} does not exist here but ${sibling} does: set bgp.modes`);
        }
      }
      if (this.facts.bgpModes.length === 0) return na('no BGP series at all: a layer 2 only cluster');
      if (!family.modes.some((m) => this.facts.bgpModes.includes(m))) {
        return na(`only mode ${family.modes.join('/')} emits it; the BGP series here are mode ${this.facts.bgpModes.join(', ')}`);
      }
      if (family.suffix.startsWith('bfd_')) return na('no BFD sessions');
      return na(`no ${metric} series right now`);
    }
    if (component === 'kubeStateMetrics') {
      return na(this.facts.kubeStateMetrics.length === 0 ? 'kube-state-metrics is not scraped' : `kube-state-metrics exposes no ${metric}`);
    }
    if (component && this.scrapedJobs(component).length === 0) return this.componentAbsent(component);
    if (component) return na(`${metric} has no series: ${absenceReason(metric)}`);
    return blind('not-scraped', `${metric} has no series`);
  }
}

const emptyCounts = (): Record<Liveness, number> => ({ live: 0, blind: 0, na: 0, const: 0 });

// A few queries in flight hide a remote Prometheus's latency without loading it.
const concurrency = 6;

/** Check every alert, recording rule and dashboard query the config produces against this Prometheus. */
export async function checkConfig(
  client: PrometheusClient,
  cfg: MixinConfig,
  facts: Facts,
  progress: Progress = () => undefined,
): Promise<CheckResult> {
  const items = checkedItems(assembleMixin(cfg));
  const checker = new BlindChecker(client, cfg, facts, items);
  const results: ItemResult[] = new Array<ItemResult>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i] as CheckedItem;
      results[i] = await checker.item(item);
      done += 1;
      progress(`checking ${done}/${items.length}: ${item.kind} ${item.name}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const counts = emptyCounts();
  for (const r of results) counts[r.state] += 1;
  return { items: results, counts };
}

/** Alerts, rules and panels that should see series and do not. */
export function blindItems(check: CheckResult): ItemResult[] {
  return check.items.filter((i) => i.state === 'blind');
}

/** The blind items by cause, causes in a fixed order; an item with several causes is listed under each. */
export function byCause(check: CheckResult): [BlindCause, ItemResult[]][] {
  const blind = blindItems(check);
  return blindCauses
    .map((cause): [BlindCause, ItemResult[]] => [cause, blind.filter((i) => i.findings.some((f) => f.cause === cause))])
    .filter(([, items]) => items.length > 0);
}
