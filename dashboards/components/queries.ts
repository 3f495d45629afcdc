import { k8sClientMetric, type Component } from '../../mixin/catalogue.js';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { Query } from '../../mixin/promql/query.js';
import { either, hostMatcher, k8sClientComponents, rate, records, scrapedComponents } from '../common/queries.js';
import { chosen, speakerAddresses } from '../common/selection.js';
import { targetsUpShare } from '../common/targets-up.js';

/**
 * "All" nodes is `.*`, which matches the empty value of a label a series lacks; a chosen address
 * does not. So the recorded per-job series (which have no `instance`) answer while no node is
 * chosen, and the per-pod series (gated by `chosen`) once one is: each panel reads one of the
 * two, never every pod.
 */
const noHostChosen = 'instance=~"${host}"';

/**
 * The queries of the components dashboard. The node filter applies to the host-network pods
 * (speaker, FRR sidecar, frr-k8s); the controller is one pod.
 */
export function componentsQueries(cfg: MixinConfig) {
  const q = Query.forDashboard(cfg, { speaker: [hostMatcher], frrMetrics: [hostMatcher], frrK8s: [hostMatcher] });
  const scraped = scrapedComponents(cfg);
  const clients = k8sClientComponents(cfg);
  const hostChosen = chosen('host');
  const recorded = (name: string) => q.scoped(name);
  /**
   * A component's pods in one of the records the config and client-error alerts read (the pods in
   * trouble, not every pod). The record keeps each pod's job, container and instance, so the
   * component's selector and the node filter apply to it as to the raw series.
   */
  const inTrouble = (record: string, c: Component) => `${record}${q.selector(c)} > 0`;
  const configProblem = (record: string, problem: string) =>
    `label_replace(max by (${q.by('job', 'namespace', 'pod')}) (${either(clients.map((c) => inTrouble(record, c)))}), "problem", "${problem}", "", "")`;
  /** The largest pod of each component while no node is chosen, else the 10 top pods of the chosen nodes (and the controller). */
  const perPod = (record: string, name: string, fn: (s: string) => string = (s) => s) =>
    [
      `max by (${q.by('job', 'container')}) (${q.scoped(record, noHostChosen)})`,
      'or',
      `topk(10, sum by (${q.by('job', 'pod', 'container')}) (${either(scraped.map((c) => fn(q.metric(name, c, hostChosen))))}))`,
    ].join('\n');

  return {
    variables: {
      host: speakerAddresses(Query.forDashboard(cfg)),
    },
    targetsUp: (c: Component): string => targetsUpShare(q, c),
    targetsDown: (c: Component): string => `count(${q.metric('up', c)} == 0) or vector(0)`,
    targetsUpCount: (c: Component): string => `sum(${q.metric('up', c)})`,
    podsOnStaleConfig: (c: Component): string => `count(${inTrouble(records.k8sClient.configStale.name, c)}) or vector(0)`,
    podsWithoutConfig: (c: Component): string => `count(${inTrouble(records.k8sClient.configNotLoaded.name, c)}) or vector(0)`,
    /** One row per pod with a configuration problem, the problem in a `problem` label. */
    configProblems: `${configProblem(records.k8sClient.configStale.name, 'stale configuration')} or ${configProblem(records.k8sClient.configNotLoaded.name, 'configuration never loaded')}`,
    objectUpdates: (c: Component): string => `sum(${rate(q.metric(k8sClientMetric(c, 'updates_total'), c))})`,
    /** Per job over all its pods (a recording rule). */
    updateErrorRatio: `max by (${q.by('namespace', 'job')}) (${q.scoped(records.k8sClient.jobUpdateErrorRatio)})`,
    apiRequestsByCode: `sum by (${q.by('code')}) (${recorded(records.components.apiRequests.name)})`,
    /** The 20 pods with the largest share of failed updates (the alert's record keeps only pods with failures). */
    podsWhoseUpdatesFail: `topk(20, ${q.scoped(records.k8sClient.podUpdateErrorRatio)} > 0)`,
    reconciles: `topk(20, sum by (${q.by('controller', 'result')}) (${recorded(records.components.reconciles.name)}))`,
    reconcileErrors: `topk(20, sum by (${q.by('controller')}) (${q.scoped(records.components.reconciles.name, 'result="error"')}))`,
    reconcileDurationP99: `histogram_quantile(0.99, sum by (${q.by('controller', 'le')}) (${recorded(records.components.reconcileDuration.name)}))`,
    /** Requests to the controller's admission webhooks per second, by webhook and status code. */
    webhookRequests: `sum by (${q.by('webhook', 'code')}) (${rate(q.metric('controller_runtime_webhook_requests_total', 'controller'))})`,
    /** Pods per job and controller that panicked within the alert's window (its recording rule). */
    reconcilePanics: `count by (${q.by('job', 'controller')}) (${q.scoped(records.controllerHealth.reconcilePanics)} > 0)`,
    /** The longest-running reconcile of each work queue, over all pods of its job (the alert's recording rule). */
    longestRunning: `topk(20, max by (${q.by('job', 'name')}) (${q.scoped(records.controllerHealth.longestRunning)} > 0))`,
    queueDepth: `topk(20, sum by (${q.by('name')}) (${recorded(records.components.queueDepth.name)}))`,
    queueAdds: `topk(10, sum by (${q.by('name')}) (${recorded(records.components.queueAdds.name)}))`,
    /** A controller's work queue is named after it, and retries exactly its `error` and `requeue` results. */
    queueRetries: `topk(10, sum by (${q.by('controller')}) (${q.scoped(records.components.reconciles.name, 'result=~"error|requeue"')}))`,
    cpu: perPod(records.components.cpu.name, 'process_cpu_seconds_total', rate),
    memory: perPod(records.components.memory.name, 'process_resident_memory_bytes'),
    goroutines: perPod(records.components.goroutines.name, 'go_goroutines'),
  };
}
