import { bgpFamilies, type BgpMode } from '../catalogue.js';
import { addresses, nodes, reconcileBuckets, ScenarioCluster, type Target } from './cluster.js';

/** One series a recording rule must produce on the healthy scenario cluster: its labels (without the cluster label) and value. */
export interface RecordedSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Per second, the rate of a counter growing `perMinute`. */
const perSecond = (perMinute: number) => perMinute / 60;
/** A problem record of a healthy cluster: its heartbeat alone, 0 under the cluster label. */
const heartbeat: readonly RecordedSeries[] = [{ labels: {}, value: 0 }];

/** `labels` with the label-less ones dropped, as Prometheus stores them. */
function present(labels: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** Sums `value` into one series per distinct label set. */
function sumBy(rows: readonly RecordedSeries[], max = false): RecordedSeries[] {
  const out = new Map<string, RecordedSeries>();
  for (const row of rows) {
    const key = JSON.stringify(Object.entries(row.labels).sort());
    const prev = out.get(key);
    out.set(key, {
      labels: row.labels,
      value: prev === undefined ? row.value : max ? Math.max(prev.value, row.value) : prev.value + row.value,
    });
  }
  return [...out.values()];
}

/**
 * What every recording rule records on one healthy cluster of the scenario, worked out from the
 * cluster's own description (its targets, sessions, pool and addresses), not from the rules.
 * A record of the build with no entry here has no test, which the test renderer refuses.
 */
export function recordedOnHealthy(c: ScenarioCluster): Map<string, readonly RecordedSeries[]> {
  const inUse = addresses.length;
  const pool = { pool: c.pool };
  const r = new Map<string, readonly RecordedSeries[]>();

  r.set('cluster_pool:metallb_allocator_addresses_total:max', [{ labels: pool, value: c.poolSize }]);
  r.set('cluster_pool:metallb_allocator_addresses_in_use_total:max', [{ labels: pool, value: inUse }]);
  r.set('cluster_pool:metallb_allocator_addresses_in_use:ratio', [{ labels: pool, value: inUse / c.poolSize }]);
  r.set('cluster_pool_family:metallb_allocator_addresses_total:max', [{ labels: { ...pool, family: 'all' }, value: c.poolSize }]);
  r.set('cluster_pool_family:metallb_allocator_addresses_in_use_total:max', [{ labels: { ...pool, family: 'all' }, value: inUse }]);
  r.set('cluster_pool_family:metallb_allocator_addresses_in_use:ratio', [
    { labels: { ...pool, family: 'all' }, value: inUse / c.poolSize },
  ]);
  r.set('cluster:metallb_allocator_addresses_in_use_total:sum', [{ labels: {}, value: inUse }]);
  r.set('cluster:metallb_allocator_addresses_total:sum', [{ labels: {}, value: c.poolSize }]);

  // Sessions: one per node and mode, all up, one prefix each; message counters at 60 a minute.
  const sessions = (suffix: string) =>
    [...c.bgpExporters].filter(([mode]) => bgpFamilies[suffix]?.modes.includes(mode)).flatMap(([mode, ex]) => ex.map((e) => ({ mode, e })));
  const peerKey = (mode: BgpMode, e: Target) => {
    const s = c.sessionLabels(mode, e);
    return present({ peer: s['peer'], vrf: s['vrf'] });
  };
  const perPeer = (suffix: string, value: number) => sumBy(sessions(suffix).map(({ mode, e }) => ({ labels: peerKey(mode, e), value })));
  const total = (suffix: string) => [{ labels: {}, value: sessions(suffix).length }];
  const window = c.cfg.thresholds.bgpFlapWindow;
  for (const problem of [
    'bgp_session_up:down',
    `bgp_session_up:changes${window}`,
    'bfd_session_up:down',
    `bfd_session_down_events:increase${window}`,
  ]) {
    r.set(`cluster_pod_peer_vrf:metallb_${problem}`, heartbeat);
  }
  r.set('cluster_pod_peer_vrf:metallb_bfd_session_down_events:increase5m', heartbeat);
  for (const suffix of ['bgp_session_up', 'bfd_session_up']) {
    r.set(`cluster_peer_vrf:metallb_${suffix}:sum`, perPeer(suffix, 1));
    r.set(`cluster_peer_vrf:metallb_${suffix}:count`, perPeer(suffix, 1));
    r.set(`cluster:metallb_${suffix}:sum`, total(suffix));
    r.set(`cluster:metallb_${suffix}:count`, total(suffix));
  }
  for (const suffix of ['bgp_announced_prefixes_total', 'bgp_received_prefixes_total', 'bgp_pending_prefixes_total']) {
    r.set(`cluster_peer_vrf:metallb_${suffix}:sum`, perPeer(suffix, 1));
  }
  for (const family of Object.values(bgpFamilies)) {
    if (family.type !== 'counter' || family.suffix.endsWith('_events')) continue;
    r.set(`cluster_peer_vrf:metallb_${family.suffix.replace(/_total$/, '')}:rate5m`, perPeer(family.suffix, perSecond(60)));
  }
  r.set('cluster_namespace_pod_instance:metallb_bgp_session_up:vanished', heartbeat);

  r.set('cluster_namespace_pod:metallb_k8s_client_config_stale_bool:stale', heartbeat);
  r.set('cluster_namespace_pod:metallb_k8s_client_config_loaded_bool:not_loaded', heartbeat);
  r.set('cluster_namespace_pod:metallb_k8s_client_update_errors:ratio_rate5m', heartbeat);
  r.set(
    'cluster_namespace_job:metallb_k8s_client_update_errors:ratio_rate5m',
    sumBy(
      [c.controller, ...c.speakers].map((t) => ({ labels: present({ namespace: t.labels['namespace'], job: t.labels['job'] }), value: 0 })),
    ),
  );

  // Counted per part of the IPs, named after the last digit the part holds.
  const part = (ip: string) => {
    const last = ip.at(-1) ?? '';
    return /[0-9]/.test(last) ? last : 'other';
  };
  r.set(
    'cluster:kube_service_status_load_balancer_ingress:count',
    sumBy(addresses.map((a) => ({ labels: { shard: part(a.ip) }, value: 1 }))),
  );
  const byProtocol = sumBy(addresses.map((a) => ({ labels: { protocol: a.protocol, shard: part(a.ip) }, value: 1 })));
  r.set('cluster_protocol:metallb_speaker_announced_ips:count', byProtocol);
  r.set('cluster_ip:metallb_speaker_layer2_announcers:count', heartbeat);
  r.set('cluster_host:metallb_speaker_announced_bgp:idle', heartbeat);
  r.set('cluster_namespace_service_ip:metallb_addresses_not_announced:count', heartbeat);

  const l2Instances = addresses
    .filter((a) => a.protocol === 'layer2')
    .flatMap((a) =>
      a.announcers.map((n) => ({ labels: { instance: c.speakers[nodes.indexOf(n)]!.labels['instance'] ?? '' }, value: perSecond(60) })),
    );
  r.set('cluster_instance:metallb_layer2_requests_received:rate5m', sumBy(l2Instances));
  r.set('cluster_instance:metallb_layer2_gratuitous_sent:rate5m', [...sumBy(l2Instances), ...heartbeat]);
  // Every request is answered.
  r.set('cluster_instance:metallb_layer2_requests_unanswered:rate5m', heartbeat);

  r.set('cluster_namespace_pod:kube_pod_info:daemonset_on_not_ready_node', heartbeat);
  // One speaker per node, each with its kube_pod_info and scraped.
  r.set('cluster:kube_pod_info:metallb_speakers_scraped', [{ labels: {}, value: nodes.length }]);
  r.set('cluster_node:kube_node_info:metallb_speaker_missing', heartbeat);

  // No reconcile fails, panics or runs at the moment of an evaluation; each layer-2 address keeps its announcer.
  r.set('cluster_namespace_pod_controller:controller_runtime_reconcile_errors:ratio_rate5m', heartbeat);
  r.set('cluster_namespace_pod_name:workqueue_longest_running_processor_seconds:running', heartbeat);
  r.set('cluster_namespace_pod_controller:controller_runtime_reconcile_panics:increase15m', heartbeat);
  r.set(
    'cluster_service_ip_node:metallb_speaker_announced_layer2:group',
    addresses
      .filter((a) => a.protocol === 'layer2')
      .flatMap((a) => a.announcers.map((n) => ({ labels: { service: `${a.namespace}/${a.service}`, ip: a.ip, node: n.name }, value: 1 }))),
  );
  r.set('cluster_service_ip_node:metallb_speaker_announced_layer2:new', heartbeat);
  r.set('cluster_service_ip:metallb_speaker_announced_layer2:changes', heartbeat);

  // controller-runtime and process metrics: the controller, the speakers and any frr-k8s pods.
  const runtime = c.targets.filter((t) => t.component !== 'frrMetrics');
  const job = (t: Target) => present({ job: t.labels['job'] });
  const ctl = (t: Target) => ({ ...job(t), controller: ScenarioCluster.controllerName(t) });
  r.set(
    'cluster_job_controller_le:controller_runtime_reconcile_time_seconds_bucket:rate5m',
    sumBy(runtime.flatMap((t) => reconcileBuckets.map(([le, perMinute]) => ({ labels: { ...ctl(t), le }, value: perSecond(perMinute) })))),
  );
  r.set(
    'cluster_job_controller_result:controller_runtime_reconcile:rate5m',
    sumBy(runtime.map((t) => ({ labels: { ...ctl(t), result: 'success' }, value: perSecond(60) }))),
  );
  r.set(
    'cluster_job_code:rest_client_requests:rate5m',
    sumBy(runtime.map((t) => ({ labels: { ...job(t), code: '200' }, value: perSecond(60) }))),
  );
  const queue = (t: Target) => ({ ...job(t), name: ScenarioCluster.controllerName(t) });
  r.set('cluster_job_name:workqueue_depth:sum', sumBy(runtime.map((t) => ({ labels: queue(t), value: 0 }))));
  r.set('cluster_job_name:workqueue_adds:rate5m', sumBy(runtime.map((t) => ({ labels: queue(t), value: perSecond(60) }))));
  const container = (t: Target) => present({ job: t.labels['job'], container: t.labels['container'] });
  r.set(
    'cluster_job_container:process_cpu_seconds:max_rate5m',
    sumBy(
      c.targets.map((t) => ({ labels: container(t), value: perSecond(6) })),
      true,
    ),
  );
  r.set(
    'cluster_job_container:process_resident_memory_bytes:max',
    sumBy(
      c.targets.map((t) => ({ labels: container(t), value: 50_000_000 })),
      true,
    ),
  );
  r.set(
    'cluster_job_container:go_goroutines:max',
    sumBy(
      c.targets.map((t) => ({ labels: container(t), value: 100 })),
      true,
    ),
  );
  return r;
}
