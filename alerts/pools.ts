import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertDefinition, AlertGroupDefinition } from '../mixin/types.js';
import { PoolCapacity } from '../rules/pool-capacity.js';
import { inCluster, poolFamily, ratioOf } from './templates.js';

/** `pool!~"a|b"`: Prometheus anchors regex matchers, so each pattern matches whole pool names. */
function poolExclusion(cfg: MixinConfig): string[] {
  return cfg.pools.exclude.length > 0 ? [`pool!~${JSON.stringify(cfg.pools.exclude.join('|'))}`] : [];
}

/**
 * Address pools, per pool and address family. Pools whose capacity is not a count (IPv6 /64
 * sentinel, overflowed sums, a family the pool does not have) never alert: see PoolCapacity.
 */
export function poolAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const pools = new PoolCapacity(q, poolExclusion(cfg));
  const capacity = pools.countableFamilyTotal();
  const inUse = pools.family('inUse');
  const on = `on (${pools.familyLabels})`;
  const where = `Address pool {{ $labels.pool }}${poolFamily}${inCluster(cfg)}`;
  const { warning, critical } = cfg.thresholds.poolUsage;

  const usage = (severity: 'warning' | 'critical', percent: number): AlertDefinition => ({
    alert: 'MetalLBAddressPoolUsageHigh',
    severity,
    expr: `${inUse}\n/ ${on}\n${capacity}\n> ${ratioOf(percent)}`,
    summary: 'A MetalLB address pool is running out of addresses.',
    description: `${where} has {{ $value | humanizePercentage }} of its addresses in use, above the ${percent}% threshold: new LoadBalancer Services will soon get no address from it.`,
  });

  const alerts: AlertDefinition[] = [
    {
      alert: 'MetalLBAddressPoolExhausted',
      severity: 'critical',
      expr: `${inUse}\n>= ${on}\n${capacity}`,
      summary: 'A MetalLB address pool has no free address left.',
      description: `${where} has all of its {{ $value | humanize }} addresses in use: new LoadBalancer Services that need an address from it stay pending.`,
    },
    usage('warning', warning),
    usage('critical', critical),
    {
      // Only pools larger than the headroom: a pool of one or two addresses always has "few" free
      // and would alert while idle; when it fills, MetalLBAddressPoolExhausted says so.
      alert: 'MetalLBAddressPoolHeadroomLow',
      severity: 'warning',
      expr: `(\n${capacity}\n> ${cfg.thresholds.poolFreeAddresses}\n)\n- ${on}\n${inUse}\n< ${cfg.thresholds.poolFreeAddresses}`,
      summary: 'A MetalLB address pool has few free addresses left.',
      description: `${where} has only {{ $value | humanize }} free addresses left (fewer than ${cfg.thresholds.poolFreeAddresses}).`,
    },
  ];
  return { name: 'metallb-pools', alerts };
}
