import type { MixinConfig } from '../../mixin/config/schema.js';
import { Query } from '../../mixin/promql/query.js';
import { oneLine, poolExpressions } from '../common/queries.js';

const poolFilter = 'pool=~"$pool"';

/** The queries of the address pools dashboard: the recorded pool series, narrowed by the pool variable. */
export function addressPoolsQueries(cfg: MixinConfig) {
  const q = Query.forDashboard(cfg);
  const pools = poolExpressions(q, 'pool', poolFilter);
  const ipv4 = poolExpressions(q, 'family', poolFilter, 'family="ipv4"');
  const ipv6 = poolExpressions(q, 'family', poolFilter, 'family="ipv6"');
  return {
    variables: {
      pool: oneLine(`label_values(${q.metric('metallb_allocator_addresses_total')}, pool)`),
    },
    /** Per pool: in use, usable (countable capacities only), free, and usage in percent. */
    pools,
    /** The same per pool and IP family. */
    families: poolExpressions(q, 'family', poolFilter),
    addressesInUse: `sum(${pools.inUse})`,
    usableAddresses: `sum(${pools.capacity})`,
    fewestFree: `min(${pools.free})`,
    highestUsage: `max(${pools.usagePercent})`,
    /** The k pools with the highest usage, in percent. */
    fullest: (k: number): string => `topk(${k}, ${pools.usagePercent})`,
    fullestIpv4: (k: number): string => `topk(${k}, ${ipv4.usagePercent})`,
    fullestIpv6: (k: number): string => `topk(${k}, ${ipv6.usagePercent})`,
    /** The k pools with the fewest free addresses. */
    leastFree: (k: number): string => `bottomk(${k}, ${pools.free})`,
    /** The k pools with the most addresses in use. */
    mostInUse: (k: number): string => `topk(${k}, ${pools.inUse})`,
    /** The k pools with the most usable addresses. */
    largest: (k: number): string => `topk(${k}, ${pools.capacity})`,
  };
}
