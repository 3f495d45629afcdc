import type { MixinConfig } from '../mixin/config/schema.js';
import type { DashboardJson } from '../mixin/types.js';

/** Every dashboard, by file name. */
export function dashboardSet(_cfg: MixinConfig): Record<string, DashboardJson> {
  return {};
}
