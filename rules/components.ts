import { componentsForModes, k8sClients, type Component } from '../mixin/catalogue.js';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';

/** controller-runtime, client-go and process series per cluster and job (one job per component and install). */
export const componentRecords = {
  reconcileDuration: 'cluster_job_controller_le:controller_runtime_reconcile_time_seconds_bucket:rate5m',
  reconciles: 'cluster_job_controller_result:controller_runtime_reconcile:rate5m',
  reconcileErrors: 'cluster_job_controller:controller_runtime_reconcile_errors:rate5m',
  apiRequests: 'cluster_job_code:rest_client_requests:rate5m',
  queueDepth: 'cluster_job_name:workqueue_depth:sum',
  queueAdds: 'cluster_job_name:workqueue_adds:rate5m',
  queueRetries: 'cluster_job_name:workqueue_retries:rate5m',
  cpu: 'cluster_job_container:process_cpu_seconds:max_rate5m',
  memory: 'cluster_job_container:process_resident_memory_bytes:max',
  goroutines: 'cluster_job_container:go_goroutines:max',
} as const;

/**
 * Every speaker and frr-k8s pod (one per node) exposes controller-runtime's histograms, rates and
 * process metrics: summed or maxed per job here, the components dashboard reads a handful of
 * series instead of (41 buckets x) one per node. The largest pod stands for its component, so a
 * leak or a runaway pod still shows; the node filter brings back the pods themselves.
 */
export function componentRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const scraped = componentsForModes(cfg.bgp.modes);
  const clients = scraped.filter((c) => k8sClients.some((k) => k.component === c));
  const across = (components: readonly Component[], name: string, fn: (s: string) => string = (s) => s) =>
    `(\n  ${components.map((c) => fn(q.metric(name, c))).join('\n  or\n  ')}\n)`;
  const rate5m = (s: string) => `rate(${s}[5m])`;
  const r = componentRecords;
  return {
    name: 'metallb-components-rules',
    rules: [
      { record: r.reconcileDuration, expr: `sum by (${q.by('job', 'controller', 'le')}) ${across(clients, 'controller_runtime_reconcile_time_seconds_bucket', rate5m)}` },
      { record: r.reconciles, expr: `sum by (${q.by('job', 'controller', 'result')}) ${across(clients, 'controller_runtime_reconcile_total', rate5m)}` },
      { record: r.reconcileErrors, expr: `sum by (${q.by('job', 'controller')}) ${across(clients, 'controller_runtime_reconcile_errors_total', rate5m)}` },
      { record: r.apiRequests, expr: `sum by (${q.by('job', 'code')}) ${across(clients, 'rest_client_requests_total', rate5m)}` },
      { record: r.queueDepth, expr: `sum by (${q.by('job', 'name')}) ${across(clients, 'workqueue_depth')}` },
      { record: r.queueAdds, expr: `sum by (${q.by('job', 'name')}) ${across(clients, 'workqueue_adds_total', rate5m)}` },
      { record: r.queueRetries, expr: `sum by (${q.by('job', 'name')}) ${across(clients, 'workqueue_retries_total', rate5m)}` },
      { record: r.cpu, expr: `max by (${q.by('job', 'container')}) ${across(scraped, 'process_cpu_seconds_total', rate5m)}` },
      { record: r.memory, expr: `max by (${q.by('job', 'container')}) ${across(scraped, 'process_resident_memory_bytes')}` },
      { record: r.goroutines, expr: `max by (${q.by('job', 'container')}) ${across(scraped, 'go_goroutines')}` },
    ],
  };
}
