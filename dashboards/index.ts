import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../mixin/config/schema.js';
import { addressPoolsDashboard } from './address-pools/layout.js';
import { bgpBfdDashboard } from './bgp-bfd/layout.js';
import { componentsDashboard } from './components/layout.js';
import { layer2Dashboard } from './layer2/layout.js';
import { overviewDashboard } from './overview/layout.js';

/**
 * Every dashboard, by file name, as the SDK builds it. Each call makes fresh builders (the SDK's
 * `build()` hands out its internal object); the dashboards pass adds what they all share.
 */
export function dashboardSet(cfg: MixinConfig): Record<string, dashboard.Dashboard> {
  return {
    'metallb-overview.json': overviewDashboard(cfg),
    'metallb-address-pools.json': addressPoolsDashboard(cfg),
    'metallb-bgp-bfd.json': bgpBfdDashboard(cfg),
    'metallb-layer2.json': layer2Dashboard(cfg),
    'metallb-components.json': componentsDashboard(cfg),
  };
}
