import { bgpFamilies, bgpSources, lookupMetric, type BgpMode, type Component } from '../catalogue.js';
import type { MixinConfig } from '../config/schema.js';
import { clusterSeries, type ClusterSeries } from './problems.js';
import { anyOfPresent } from './union.js';

/**
 * Turns one source's selector of a BGP/BFD family into its expression. `family(suffix)` is the
 * same source's selector of another family (same prefix, component and matchers), for joins
 * that pair families per source (speaker, FRR sidecar, frr-k8s) to keep each join small and exact.
 */
export type BgpWrap = (selector: string, family: (suffix: string) => string) => string;

/**
 * Builds the selectors and metric references of every query, so that no alert, rule or panel
 * spells a `job=` or a BGP metric prefix itself. A `Query` is bound to a config and a scope:
 * rules see all clusters, dashboards add the `$cluster` matcher and their variable filters.
 */
export class Query {
  private constructor(
    readonly cfg: MixinConfig,
    private readonly scopeMatchers: readonly string[],
    private readonly filters: Readonly<Partial<Record<Component, readonly string[]>>>,
  ) {}

  /** For alerting and recording rules: every cluster, no dashboard variables. */
  static forRules(cfg: MixinConfig): Query {
    return new Query(cfg, [], {});
  }

  /**
   * For dashboard panels: the cluster variable always, plus per-component variable filters such as
   * `{ speaker: ['instance=~"$instance"'] }`.
   */
  static forDashboard(cfg: MixinConfig, filters: Partial<Record<Component, readonly string[]>> = {}): Query {
    return new Query(cfg, [`${cfg.clusterLabel}="$cluster"`], filters);
  }

  /** The same scope with more per-component filters. */
  withFilters(filters: Partial<Record<Component, readonly string[]>>): Query {
    const merged: Partial<Record<Component, readonly string[]>> = { ...this.filters };
    for (const [component, extra] of Object.entries(filters) as [Component, readonly string[]][]) {
      merged[component] = [...(merged[component] ?? []), ...extra];
    }
    return new Query(this.cfg, this.scopeMatchers, merged);
  }

  get clusterLabel(): string {
    return this.cfg.clusterLabel;
  }

  /** `cluster, a, b`: grouping labels that always keep the cluster. */
  by(...labels: string[]): string {
    return [this.cfg.clusterLabel, ...labels.filter((l) => l !== this.cfg.clusterLabel)].join(', ');
  }

  /**
   * `group by (cluster) (expr)` (or `sum`, ...): one series per cluster where `expr` has any, the
   * clusters a problem record's heartbeat covers (mixin/promql/problems.ts).
   */
  perCluster(expr: string, aggregation: 'group' | 'sum' = 'group'): ClusterSeries {
    return clusterSeries(`${aggregation} by (${this.by()}) (${expr})`);
  }

  /** `{<component selector>, <scope>, <filters>, <extra>}` */
  selector(component: Component, ...extra: string[]): string {
    const parts = [this.cfg.selectors[component], ...this.scopeMatchers, ...(this.filters[component] ?? []), ...extra];
    return `{${parts.filter((p) => p.length > 0).join(', ')}}`;
  }

  /**
   * `name{...}` for a catalogue metric. The component is the metric's own when it has one;
   * metrics several components expose (the k8s client, `up`) must name theirs.
   */
  metric(name: string, component?: Component, ...extra: string[]): string {
    const entry = lookupMetric(name)?.entry;
    if (!entry) throw new Error(`metric ${name} is not in the catalogue`);
    if (entry.bgp) throw new Error(`metric ${name} is a BGP/BFD family: use Query.bgp('${entry.bgp.family.suffix}')`);
    const owner = component ?? (entry.components.length === 1 ? entry.components[0] : undefined);
    if (!owner) throw new Error(`metric ${name} is exposed by ${entry.components.join(', ') || 'Prometheus'}: name the component`);
    if (entry.components.length > 0 && !entry.components.includes(owner)) {
      throw new Error(`metric ${name} is not exposed by ${owner}`);
    }
    return `${name}${this.selector(owner, ...extra)}`;
  }

  /**
   * `name{<scope>, <extra>}` for a series no component selector applies to: recorded series (the
   * rule aggregated the job away) and Prometheus's own `ALERTS`.
   */
  scoped(series: string | { readonly name: string }, ...extra: string[]): string {
    const name = typeof series === 'string' ? series : series.name;
    return `${name}{${[...this.scopeMatchers, ...extra].join(', ')}}`;
  }

  /** The BGP modes enabled in the config that emit this family. */
  bgpModes(suffix: string): BgpMode[] {
    const family = bgpFamilies[suffix];
    if (!family) throw new Error(`unknown BGP/BFD family ${suffix}`);
    return this.cfg.bgp.modes.filter((m) => family.modes.includes(m));
  }

  /**
   * A BGP/BFD family across every enabled mode, each with its own name and selector, joined with
   * `or`. `wrap` turns each selector into the per-source expression (a range function must be
   * applied per source because `or` has no range form): `q.bgp('bgp_session_up', s => `changes(${s}[15m])`)`.
   * Returns `undefined` when no enabled mode has the family (e.g. pending prefixes without native).
   */
  bgp(suffix: string, wrap: BgpWrap = (s) => s, ...extra: string[]): string | undefined {
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const mode of this.bgpModes(suffix)) {
      const source = bgpSources[mode];
      const modeExtra = mode === 'native' ? [this.cfg.bgp.nativePeerMatcher] : [];
      const family = (other: string) => {
        if (!this.bgpModes(other).includes(mode)) throw new Error(`BGP/BFD family ${other} does not exist in mode ${mode}`);
        return `${source.prefix}_${other}${this.selector(source.component, ...modeExtra, ...extra)}`;
      };
      const sel = family(suffix);
      if (seen.has(sel)) continue;
      seen.add(sel);
      parts.push(wrap(sel, family));
    }
    if (parts.length === 0) return undefined;
    return anyOfPresent(parts, 'lines');
  }
}
