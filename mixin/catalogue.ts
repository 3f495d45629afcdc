/**
 * Every metric the mixin may query, with its real type and labels, as read from MetalLB's and
 * frr-k8s's source (see the project's metric reference). The lint pass, the dashboards and the
 * simulated exporter all read this table, so a name or type is stated exactly once.
 *
 * The type is the Prometheus type, never inferred from the name: several MetalLB gauges end in
 * `_total`, and several counters have no `_total` suffix.
 */

/** Who exposes a metric. Each maps to one selector of the config (`selectors.<component>`). */
export type Component = 'controller' | 'speaker' | 'frrMetrics' | 'frrK8s' | 'kubeStateMetrics';

/**
 * Where BGP and BFD series come from. `frr-k8s-relabelled` is the operator's (and kustomize's)
 * metricRelabeling of `frrk8s_*` to `metallb_*`: the name is MetalLB's, the peer has no port.
 */
export type BgpMode = 'native' | 'frr' | 'frr-k8s' | 'frr-k8s-relabelled';
export const bgpModes: readonly BgpMode[] = ['native', 'frr', 'frr-k8s', 'frr-k8s-relabelled'];

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  /** Labels the exporter itself sets (target labels such as job/pod/instance come on top). */
  readonly labels: readonly string[];
  readonly components: readonly Component[];
  readonly help: string;
}

/** How one BGP/BFD family is spelled and scraped in one mode. */
export interface BgpSource {
  readonly mode: BgpMode;
  readonly prefix: 'metallb' | 'frrk8s';
  readonly component: Component;
}

export const bgpSources: Readonly<Record<BgpMode, BgpSource>> = {
  native: { mode: 'native', prefix: 'metallb', component: 'speaker' },
  frr: { mode: 'frr', prefix: 'metallb', component: 'frrMetrics' },
  'frr-k8s': { mode: 'frr-k8s', prefix: 'frrk8s', component: 'frrK8s' },
  'frr-k8s-relabelled': { mode: 'frr-k8s-relabelled', prefix: 'metallb', component: 'frrK8s' },
};

/** MetalLB's own components, in the order dashboards and alerts list them. */
export const metallbComponents = ['controller', 'speaker', 'frrMetrics', 'frrK8s'] as const satisfies readonly Component[];

/** A component MetalLB itself runs (everything but kube-state-metrics). */
export type MetalLBComponent = (typeof metallbComponents)[number];

/**
 * The MetalLB components an install with these BGP modes runs: the controller and speaker always,
 * the FRR sidecar and frr-k8s only where a mode reads its BGP series from them.
 */
export function componentsForModes(modes: readonly BgpMode[]): MetalLBComponent[] {
  const bgp = new Set(modes.map((m) => bgpSources[m].component));
  return metallbComponents.filter((c) => c === 'controller' || c === 'speaker' || bgp.has(c));
}

/** The components with a Kubernetes client (config state, object updates), and the prefix of their `<prefix>_k8s_client_*` metrics. */
export const k8sClients: readonly { readonly component: Component; readonly prefix: 'metallb' | 'frrk8s' }[] = [
  { component: 'controller', prefix: 'metallb' },
  { component: 'speaker', prefix: 'metallb' },
  { component: 'frrK8s', prefix: 'frrk8s' },
];

/** `<prefix>_k8s_client_<suffix>` of a component with a Kubernetes client. */
export function k8sClientMetric(component: Component, suffix: string): string {
  const client = k8sClients.find((c) => c.component === component);
  if (!client) throw new Error(`${component} has no Kubernetes client metrics`);
  return `${client.prefix}_k8s_client_${suffix}`;
}

/** A BGP or BFD metric, named without its prefix, and the modes that emit it. */
export interface BgpFamily {
  /** e.g. `bgp_session_up`; the full name is `<prefix>_<suffix>`. */
  readonly suffix: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  readonly modes: readonly BgpMode[];
  readonly help: string;
}

const frrModes: readonly BgpMode[] = ['frr', 'frr-k8s', 'frr-k8s-relabelled'];
const allModes: readonly BgpMode[] = bgpModes;
const frrK8sOnly: readonly BgpMode[] = ['frr-k8s', 'frr-k8s-relabelled'];

const bgpFamilyList: readonly BgpFamily[] = [
  { suffix: 'bgp_session_up', type: 'gauge', labels: ['peer', 'vrf'], modes: allModes, help: 'BGP session state (1 is up, 0 is down).' },
  {
    suffix: 'bgp_announced_prefixes_total',
    type: 'gauge',
    labels: ['peer', 'vrf'],
    modes: allModes,
    help: 'Prefixes currently advertised on the session.',
  },
  { suffix: 'bgp_updates_total', type: 'counter', labels: ['peer', 'vrf'], modes: allModes, help: 'BGP UPDATE messages sent.' },
  {
    suffix: 'bgp_pending_prefixes_total',
    type: 'gauge',
    labels: ['peer'],
    modes: ['native'],
    help: 'Prefixes that should be advertised on the session (native only).',
  },
  {
    suffix: 'bgp_received_prefixes_total',
    type: 'gauge',
    labels: ['peer', 'vrf'],
    modes: frrK8sOnly,
    help: 'Prefixes currently received on the session (frr-k8s only).',
  },
  { suffix: 'bgp_opens_sent', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BGP OPEN messages sent.' },
  { suffix: 'bgp_opens_received', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BGP OPEN messages received.' },
  { suffix: 'bgp_notifications_sent', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BGP NOTIFICATION messages sent.' },
  {
    suffix: 'bgp_updates_total_received',
    type: 'counter',
    labels: ['peer', 'vrf'],
    modes: frrModes,
    help: 'BGP UPDATE messages received.',
  },
  { suffix: 'bgp_keepalives_sent', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BGP KEEPALIVE messages sent.' },
  {
    suffix: 'bgp_keepalives_received',
    type: 'counter',
    labels: ['peer', 'vrf'],
    modes: frrModes,
    help: 'BGP KEEPALIVE messages received.',
  },
  { suffix: 'bgp_route_refresh_sent', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BGP ROUTE-REFRESH messages sent.' },
  { suffix: 'bgp_total_sent', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'All BGP messages sent.' },
  { suffix: 'bgp_total_received', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'All BGP messages received.' },
  { suffix: 'bfd_session_up', type: 'gauge', labels: ['peer', 'vrf'], modes: frrModes, help: 'BFD session state (1 is up, 0 is down).' },
  { suffix: 'bfd_control_packet_input', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BFD control packets received.' },
  { suffix: 'bfd_control_packet_output', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BFD control packets sent.' },
  { suffix: 'bfd_echo_packet_input', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BFD echo packets received.' },
  { suffix: 'bfd_echo_packet_output', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BFD echo packets sent.' },
  { suffix: 'bfd_session_up_events', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BFD session up events.' },
  { suffix: 'bfd_session_down_events', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BFD session down events.' },
  { suffix: 'bfd_zebra_notifications', type: 'counter', labels: ['peer', 'vrf'], modes: frrModes, help: 'BFD zebra notifications.' },
];

export const bgpFamilies: Readonly<Record<string, BgpFamily>> = Object.fromEntries(bgpFamilyList.map((f) => [f.suffix, f]));

/** The name a family has in a mode, e.g. `frrk8s_bgp_session_up`. */
export function bgpMetricName(family: BgpFamily, mode: BgpMode): string {
  return `${bgpSources[mode].prefix}_${family.suffix}`;
}

const allocator = (name: string, help: string): MetricSpec => ({
  name,
  type: 'gauge',
  labels: ['pool'],
  components: ['controller'],
  help,
});
const both: readonly Component[] = ['controller', 'speaker'];

const plainMetrics: readonly MetricSpec[] = [
  allocator('metallb_allocator_addresses_total', 'Usable IP addresses, per pool.'),
  allocator('metallb_allocator_addresses_in_use_total', 'IP addresses in use, per pool.'),
  allocator('metallb_allocator_ipv4_addresses_total', 'Usable IPv4 addresses, per pool (>= 0.14).'),
  allocator('metallb_allocator_ipv6_addresses_total', 'Usable IPv6 addresses, per pool (>= 0.14).'),
  allocator('metallb_allocator_ipv4_addresses_in_use_total', 'IPv4 addresses in use, per pool (>= 0.14).'),
  allocator('metallb_allocator_ipv6_addresses_in_use_total', 'IPv6 addresses in use, per pool (>= 0.14).'),
  { name: 'metallb_k8s_client_updates_total', type: 'counter', labels: [], components: both, help: 'Kubernetes object updates processed.' },
  {
    name: 'metallb_k8s_client_update_errors_total',
    type: 'counter',
    labels: [],
    components: both,
    help: 'Kubernetes object updates that failed.',
  },
  {
    name: 'metallb_k8s_client_config_loaded_bool',
    type: 'gauge',
    labels: [],
    components: both,
    help: '1 if the configuration was loaded at least once.',
  },
  {
    name: 'metallb_k8s_client_config_stale_bool',
    type: 'gauge',
    labels: [],
    components: both,
    help: '1 if running on a stale configuration.',
  },
  {
    name: 'frrk8s_k8s_client_updates_total',
    type: 'counter',
    labels: [],
    components: ['frrK8s'],
    help: 'frr-k8s Kubernetes object updates processed.',
  },
  {
    name: 'frrk8s_k8s_client_update_errors_total',
    type: 'counter',
    labels: [],
    components: ['frrK8s'],
    help: 'frr-k8s Kubernetes object updates that failed.',
  },
  {
    name: 'frrk8s_k8s_client_config_loaded_bool',
    type: 'gauge',
    labels: [],
    components: ['frrK8s'],
    help: '1 if frr-k8s loaded its configuration at least once.',
  },
  {
    name: 'frrk8s_k8s_client_config_stale_bool',
    type: 'gauge',
    labels: [],
    components: ['frrK8s'],
    help: '1 if frr-k8s runs on a stale configuration.',
  },
  {
    name: 'metallb_speaker_announced',
    type: 'gauge',
    labels: ['service', 'protocol', 'node', 'ip'],
    components: ['speaker'],
    help: 'Services announced from this node (desired state).',
  },
  {
    name: 'metallb_layer2_requests_received',
    type: 'counter',
    labels: ['ip'],
    components: ['speaker'],
    help: 'ARP/NDP requests received for owned IPs.',
  },
  {
    name: 'metallb_layer2_responses_sent',
    type: 'counter',
    labels: ['ip'],
    components: ['speaker'],
    help: 'ARP/NDP responses sent for owned IPs.',
  },
  {
    name: 'metallb_layer2_gratuitous_sent',
    type: 'counter',
    labels: ['ip'],
    components: ['speaker'],
    help: 'Gratuitous ARP/NDP packets sent after failovers.',
  },
  // controller-runtime (>= 0.16 on controller and speaker, and frr-k8s's controller).
  {
    name: 'controller_runtime_reconcile_total',
    type: 'counter',
    labels: ['controller', 'result'],
    components: [...both, 'frrK8s'],
    help: 'Reconciliations per controller and result.',
  },
  {
    name: 'controller_runtime_reconcile_errors_total',
    type: 'counter',
    labels: ['controller'],
    components: [...both, 'frrK8s'],
    help: 'Reconciliation errors per controller.',
  },
  {
    name: 'controller_runtime_reconcile_time_seconds',
    type: 'histogram',
    labels: ['controller'],
    components: [...both, 'frrK8s'],
    help: 'Reconciliation duration per controller.',
  },
  {
    name: 'controller_runtime_active_workers',
    type: 'gauge',
    labels: ['controller'],
    components: [...both, 'frrK8s'],
    help: 'Workers in use per controller.',
  },
  {
    name: 'controller_runtime_reconcile_panics_total',
    type: 'counter',
    labels: ['controller'],
    components: [...both, 'frrK8s'],
    help: 'Reconcile panics per controller (controller-runtime >= 0.18).',
  },
  {
    name: 'controller_runtime_webhook_requests_total',
    type: 'counter',
    labels: ['webhook', 'code'],
    components: ['controller'],
    help: 'Admission webhook requests per webhook path and HTTP status code.',
  },
  {
    name: 'workqueue_longest_running_processor_seconds',
    type: 'gauge',
    labels: ['name'],
    components: [...both, 'frrK8s'],
    help: 'Seconds the longest-running reconcile of the work queue has been running.',
  },
  { name: 'workqueue_depth', type: 'gauge', labels: ['name'], components: [...both, 'frrK8s'], help: 'Current depth of the work queue.' },
  {
    name: 'workqueue_adds_total',
    type: 'counter',
    labels: ['name'],
    components: [...both, 'frrK8s'],
    help: 'Items added to the work queue.',
  },
  {
    name: 'workqueue_retries_total',
    type: 'counter',
    labels: ['name'],
    components: [...both, 'frrK8s'],
    help: 'Retries handled by the work queue.',
  },
  {
    name: 'rest_client_requests_total',
    type: 'counter',
    labels: ['code', 'host', 'method'],
    components: [...both, 'frrK8s'],
    help: 'HTTP requests to the Kubernetes API, by code.',
  },
  // Process metrics of every Go exporter.
  {
    name: 'process_cpu_seconds_total',
    type: 'counter',
    labels: [],
    components: [...both, 'frrMetrics', 'frrK8s'],
    help: 'CPU time used by the process.',
  },
  {
    name: 'process_resident_memory_bytes',
    type: 'gauge',
    labels: [],
    components: [...both, 'frrMetrics', 'frrK8s'],
    help: 'Resident memory of the process.',
  },
  { name: 'go_goroutines', type: 'gauge', labels: [], components: [...both, 'frrMetrics', 'frrK8s'], help: 'Goroutines of the process.' },
  // kube-state-metrics, used only where declared optional by the config.
  {
    name: 'kube_pod_info',
    type: 'gauge',
    labels: ['namespace', 'pod', 'node', 'created_by_kind', 'created_by_name'],
    components: ['kubeStateMetrics'],
    help: 'Pod information, including its node (kube-state-metrics).',
  },
  {
    name: 'kube_node_info',
    type: 'gauge',
    labels: ['node'],
    components: ['kubeStateMetrics'],
    help: 'Node information (kube-state-metrics).',
  },
  {
    name: 'kube_node_spec_taint',
    type: 'gauge',
    labels: ['node', 'key', 'value', 'effect'],
    components: ['kubeStateMetrics'],
    help: 'Node taints (kube-state-metrics).',
  },
  {
    name: 'kube_node_status_condition',
    type: 'gauge',
    labels: ['node', 'condition', 'status'],
    components: ['kubeStateMetrics'],
    help: 'Node conditions (kube-state-metrics).',
  },
  {
    name: 'kube_service_spec_type',
    type: 'gauge',
    labels: ['namespace', 'service', 'type'],
    components: ['kubeStateMetrics'],
    help: 'Service type (kube-state-metrics).',
  },
  {
    name: 'kube_service_status_load_balancer_ingress',
    type: 'gauge',
    labels: ['namespace', 'service', 'ip', 'hostname'],
    components: ['kubeStateMetrics'],
    help: 'Load balancer ingress IPs of a Service (kube-state-metrics).',
  },
];

/** Series Prometheus itself produces about targets and alerts. */
const prometheusMetrics: readonly { name: string; type: MetricType; labels: readonly string[]; help: string }[] = [
  { name: 'up', type: 'gauge', labels: [], help: '1 if the last scrape of the target succeeded.' },
  { name: 'ALERTS', type: 'gauge', labels: ['alertname', 'alertstate', 'severity'], help: 'Active alerts.' },
];

export interface CatalogueEntry {
  readonly name: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  readonly help: string;
  /** Components that expose it; empty for Prometheus's own series. */
  readonly components: readonly Component[];
  /** Set for BGP/BFD metrics: the family and the modes that use this name. */
  readonly bgp?: { readonly family: BgpFamily; readonly modes: readonly BgpMode[] };
}

function buildCatalogue(): ReadonlyMap<string, CatalogueEntry> {
  const entries = new Map<string, CatalogueEntry>();
  for (const m of plainMetrics) entries.set(m.name, m);
  for (const m of prometheusMetrics) entries.set(m.name, { ...m, components: [] });
  for (const family of bgpFamilyList) {
    for (const mode of family.modes) {
      const name = bgpMetricName(family, mode);
      const previous = entries.get(name);
      const modes = [...(previous?.bgp?.modes ?? []), mode];
      const components = [...new Set([...(previous?.components ?? []), bgpSources[mode].component])];
      entries.set(name, { name, type: family.type, labels: family.labels, help: family.help, components, bgp: { family, modes } });
    }
  }
  return entries;
}

/** Name → entry for every metric the mixin may use (histograms also answer for `_bucket`, `_sum`, `_count`). */
export const catalogue: ReadonlyMap<string, CatalogueEntry> = buildCatalogue();

/** Look a series name up, resolving histogram sub-series to their family. */
export function lookupMetric(name: string): { entry: CatalogueEntry; seriesType: MetricType } | undefined {
  const direct = catalogue.get(name);
  if (direct) return { entry: direct, seriesType: direct.type === 'histogram' ? 'gauge' : direct.type };
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (!m || m[1] === undefined) return undefined;
  const family = catalogue.get(m[1]);
  if (family?.type !== 'histogram') return undefined;
  return { entry: family, seriesType: 'counter' };
}
