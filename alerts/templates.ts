import type { MixinConfig } from '../mixin/config/schema.js';

/** ` in cluster X` in descriptions, only for multi-cluster setups (as kubernetes-mixin does). */
export function inCluster(cfg: MixinConfig): string {
  return cfg.showMultiCluster ? ` in cluster {{ $labels.${cfg.clusterLabel} }}` : '';
}

/** ` (ipv4)` after a pool name, nothing for the combined count of MetalLB < 0.14 (`family="all"`). */
export const poolFamily = '{{ if ne $labels.family "all" }} ({{ $labels.family }}){{ end }}';

/** A PromQL number for a percentage threshold, e.g. 85 → 0.85. */
export const ratioOf = (percent: number): string => String(percent / 100);

/** A ratio threshold as a percentage for descriptions, e.g. 0.05 → `5%` (no float noise). */
export const percentText = (ratio: number): string => `${Number((ratio * 100).toPrecision(12))}%`;

/**
 * ` in cluster X` whenever the series has the cluster label, for alerts whose only identity is the
 * cluster (a component gone from it).
 */
export function ofCluster(cfg: MixinConfig): string {
  return `{{ with $labels.${cfg.clusterLabel} }} in cluster {{ . }}{{ end }}`;
}
