/**
 * Prometheus `scrape_configs` for the simulated targets, equivalent to what the Prometheus
 * Operator generates from MetalLB's ServiceMonitors: one static target per endpoint carrying the
 * operator's target labels, `honor_labels` where the monitor sets honorLabels, and the frr-k8s
 * metricRelabelings when the install renames `frrk8s_*` to `metallb_*`.
 */
import type { SimTarget } from './targets.js';

/** The subset of Prometheus's scrape_config the harness writes. */
export interface ScrapeConfig {
  job_name: string;
  metrics_path: string;
  honor_labels: boolean;
  static_configs: { targets: string[]; labels: Record<string, string> }[];
  metric_relabel_configs?: { source_labels: string[]; regex: string; target_label: string; replacement: string }[];
}

/** kustomize's relabel-metrics.yaml and the chart's commented example: same name, peer unchanged. */
const frrK8sToMetalLB: NonNullable<ScrapeConfig['metric_relabel_configs']> = [
  { source_labels: ['__name__'], regex: 'frrk8s_bgp_(.*)', target_label: '__name__', replacement: 'metallb_bgp_$1' },
  { source_labels: ['__name__'], regex: 'frrk8s_bfd_(.*)', target_label: '__name__', replacement: 'metallb_bfd_$1' },
];

/**
 * One scrape config per target, scraping `address` (the simulator's `host:port`). `job_name` is only
 * unique bookkeeping: the `job` target label overrides it, as the operator's relabelling does.
 */
export function scrapeConfigsFor(targets: readonly SimTarget[], address: string): ScrapeConfig[] {
  return targets.map((t) => {
    const config: ScrapeConfig = {
      job_name: `sim${t.path.replace(/\//g, '_')}`,
      metrics_path: t.path,
      honor_labels: t.honorLabels,
      static_configs: [{ targets: [address], labels: { ...t.labels } }],
    };
    if (t.relabelFrrK8sToMetalLB)
      config.metric_relabel_configs = frrK8sToMetalLB.map((r) => ({ ...r, source_labels: [...r.source_labels] }));
    return config;
  });
}
