import { bgpFamilies, bgpSources, lookupMetric, type BgpMode, type Component } from '../catalogue.js';
import type { MixinConfig } from '../config/schema.js';
import { clusterSeries, type ClusterSeries } from './problems.js';
import { anyOf, anyOfPresent } from './union.js';

/**
 * Turns one source's selector of a BGP/BFD family into its expression. `family(suffix)` is the
 * same source's selector of another family (same prefix, component and matchers), for joins
 * that pair families per source (speaker, FRR sidecar, frr-k8s) to keep each join small and exact.
 */
export type BgpWrap = (selector: string, family: (suffix: string) => string) => string;

/**
 * A BGP session's identity is its peer's address (metric reference §7). FRR writes the `peer`
 * label as `IP:portForeign`, and FRR 8.x writes a session that is down as `IP:-1` and the same
 * session once up as `IP:179`: two series for one session. frr-k8s dropped the port in v0.0.16 (a
 * bare IP, or an interface for unnumbered peers). So each FRR source's `peer` becomes the address:
 * a `-1` port always goes, another port wherever the spelling cannot be an address on its own
 * (always for the FRR sidecar; for frr-k8s only after an IPv4 address, as a bare IPv6 `fd00::1`
 * reads like an address and a port). Native mode keeps `IP:port`: it never writes `-1`. BFD
 * series name the peer by its address already.
 */
const peerAddress: Readonly<Partial<Record<BgpMode, string>>> = {
  frr: '(.+):[0-9]+',
  'frr-k8s': '([0-9.]+):[0-9]+',
  'frr-k8s-relabelled': '([0-9.]+):[0-9]+',
};
/** The FRR 8.x spelling of a session without a socket (down, or never connected). */
const downSpelling = { only: 'peer=~".+:-1"', except: 'peer!~".+:-1"', address: '(.+):-1' } as const;

/**
 * MetalLB 0.15 in native mode leaves a stale `peer="IP"` series at 0 beside each real `IP:port`
 * one (metallb#2806). `nativePeerMatcher` drops the IPv4 ones; an IPv6 peer is written without
 * brackets, so its stale `fd00::1` looks like an address and a port, as its real `fd00::1:179`
 * does. This drops every series whose `peer` is another series' `peer` less its port. The
 * stripped form is grouped before it becomes `peer`, so that two series can never collide.
 */
/** The native families 0.15 initialised with the stale `peer="IP"` series (metric reference §7). */
const staleTwinFamilies = ['bgp_session_up', 'bgp_announced_prefixes_total'];
/**
 * Peers with two colons or more: IPv6. Only their real series can have a stale twin that the
 * peer matcher lets through, so only they are read a second time.
 */
const ipv6Peer = 'peer=~".*:.*:.*"';

/** `expr` without the series whose `peer` is that of a series of `selector` less its port. */
function withoutStaleTwins(expr: string, selector: string, on: string): string {
  const stripped = `group by (${on.replace(/\bpeer\b/, 'stale_peer')}) (label_replace(${selector}, "stale_peer", "$1", "peer", "(.+):[0-9]+"))`;
  return `(\n  ${expr}\n  unless on (${on})\n  label_replace(${stripped}, "peer", "$1", "stale_peer", "(.+)")\n)`;
}

/** `peer` rewritten to the address where it matches `regex`, unchanged elsewhere. */
const toAddress = (expr: string, regex: string) => `label_replace(${expr}, "peer", "$1", "peer", "${regex}")`;

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

  /** The clusters where Prometheus scrapes a target of `component`: most problem records' heartbeat. */
  clustersScraping(component: Component): ClusterSeries {
    return this.perCluster(this.metric('up', component));
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
   * The BGP families of FRR sources come out with `peer` set to the address (see `peerAddress`):
   * the two spellings are read apart and rewritten apart, so that no rewrite can yield one series
   * twice, and where both are present at once (only after a Prometheus restart) the established
   * spelling wins. `wrap` sees the raw series, so a range function over it sees each spelling
   * alone: `bgpChanges` counts the changes of a session across both.
   */
  bgp(suffix: string, wrap: BgpWrap = (s) => s, ...extra: string[]): string | undefined {
    return this.bgpIn(this.bgpModes(suffix), suffix, wrap, extra);
  }

  /**
   * State changes of each session of a BGP/BFD family within `window`: `changes()` of each series,
   * at the scrape's resolution. FRR 8.x makes every change of state a change of series (`IP:179`
   * is always 1, `IP:-1` always 0), so for the BGP families of FRR sources the `IP:-1` spellings'
   * own comings and goings are added: `changes()` over a subquery (one step a minute) of 1 while
   * the spelling is present and 0 while it was seen within the window, and 1 more where it first
   * appeared within the window. Only `IP:-1` series are read for that: a cluster with none (FRR
   * 9/10, frr-k8s v0.0.16+) pays nearly nothing. Two outages within twice the window may count one
   * change too many.
   */
  bgpChanges(suffix: string, window: string): string | undefined {
    const changes = this.bgp(suffix, (s) => `changes(${s}[${window}])`);
    const respelled = this.bgpModes(suffix).filter((m) => suffix.startsWith('bgp_') && peerAddress[m] !== undefined);
    if (!changes || respelled.length === 0) return changes;
    const present = this.bgpDownSpelling(respelled, suffix, (s) => `${s} * 0 + 1 or last_over_time(${s}[${window}]) * 0`);
    const firstSeen = this.bgpDownSpelling(
      respelled,
      suffix,
      (s) => `last_over_time(${s}[${window}]) * 0 + 1 unless ${s} offset ${window}`,
    );
    const part = (expr: string, name: string) => `label_replace(${expr}, "part", "${name}", "", "")`;
    // Distinct `part` labels keep all three through `or`; the sum adds them up per session. Every
    // part is 0 or more, so the sessions whose series did not change are dropped first: the joins
    // and the sum then handle a few series instead of one per session.
    return `sum without (part) (\n${anyOf(
      [part(`${changes} > 0`, 'series'), part(`changes(${present}[${window}:1m])`, 'spelling'), part(firstSeen, 'first')],
      'lines',
    )}\n)`;
  }

  /** The `IP:-1` spelling of a BGP family's FRR sources, through `wrap`, with `peer` set to the address. */
  private bgpDownSpelling(modes: readonly BgpMode[], suffix: string, wrap: (selector: string) => string): string {
    const parts = modes.map((mode) => {
      const source = bgpSources[mode];
      const selector = `${source.prefix}_${suffix}${this.selector(source.component, downSpelling.only)}`;
      return toAddress(wrap(selector), downSpelling.address);
    });
    return anyOf([...new Set(parts)], 'lines');
  }

  private bgpIn(modes: readonly BgpMode[], suffix: string, wrap: BgpWrap, extra: readonly string[]): string | undefined {
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const mode of modes) {
      const source = bgpSources[mode];
      const modeExtra = mode === 'native' ? [this.cfg.bgp.nativePeerMatcher] : [];
      const familyWith =
        (...spelling: string[]) =>
        (other: string) => {
          if (!this.bgpModes(other).includes(mode)) throw new Error(`BGP/BFD family ${other} does not exist in mode ${mode}`);
          return `${source.prefix}_${other}${this.selector(source.component, ...modeExtra, ...extra, ...spelling)}`;
        };
      const sel = familyWith()(suffix);
      if (seen.has(sel)) continue;
      seen.add(sel);
      if (mode === 'native' && staleTwinFamilies.includes(suffix)) {
        parts.push(withoutStaleTwins(wrap(sel, familyWith()), familyWith(ipv6Peer)(suffix), this.by('instance', 'pod', 'peer')));
        continue;
      }
      const address = suffix.startsWith('bgp_') ? peerAddress[mode] : undefined;
      if (address === undefined) {
        parts.push(wrap(sel, familyWith()));
        continue;
      }
      const spelled = (matcher: string, regex: string) => {
        const family = familyWith(matcher);
        return toAddress(wrap(family(suffix), family), regex);
      };
      parts.push(anyOf([spelled(downSpelling.except, address), spelled(downSpelling.only, downSpelling.address)], 'lines'));
    }
    if (parts.length === 0) return undefined;
    return anyOfPresent(parts, 'lines');
  }
}
