import type { MixinConfig } from '../mixin/config/schema.js';

/** ` in cluster X` in descriptions, only for multi-cluster setups (as kubernetes-mixin does). */
export function inCluster(cfg: MixinConfig): string {
  return cfg.showMultiCluster ? ` in cluster {{ $labels.${cfg.clusterLabel} }}` : '';
}
