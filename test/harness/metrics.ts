/**
 * What each simulated process exposes, as MetalLB, frr-k8s and kube-state-metrics do (names, types
 * and labels per the metric reference). Gauges come from the cluster state; counters grow with
 * time (BGP/BFD ones only while their session is established), so `rate()` has something to see.
 */
import type { BgpMode } from '../../mixin/catalogue.js';
import { Exposition, type Labels } from './exposition.js';
import type { ClusterState } from './state.js';
import type { SimTarget } from './targets.js';

/** Everything a renderer needs: the state, the clock, and the other targets (kube-state-metrics lists pods). */
export interface RenderContext {
  readonly state: ClusterState;
  readonly now: number;
  readonly bgpMode: BgpMode;
  readonly clusterTargets: readonly SimTarget[];
}

function elapsed(ctx: RenderContext): number {
  return (ctx.now - ctx.state.startedAt) / 1000;
}

function goProcess(e: Exposition, ctx: RenderContext, memoryBytes: number): void {
  e.sample('process_cpu_seconds_total', {}, 0.3 + elapsed(ctx) * 0.01)
    .sample('process_resident_memory_bytes', {}, memoryBytes)
    .sample('go_goroutines', {}, 64);
}

/** controller-runtime, workqueue and client-go metrics of a controller-runtime manager (MetalLB >= 0.16, frr-k8s). */
function controllerRuntime(e: Exposition, ctx: RenderContext, controllers: readonly string[]): void {
  const t = elapsed(ctx);
  for (const controller of controllers) {
    const reconciles = Math.floor(5 + t * 0.5);
    e.sample('controller_runtime_reconcile_total', { controller, result: 'success' }, reconciles);
    e.sample('controller_runtime_reconcile_total', { controller, result: 'error' }, 0);
    e.sample('controller_runtime_reconcile_errors_total', { controller }, 0);
    e.histogram(
      'controller_runtime_reconcile_time_seconds',
      { controller },
      new Map([
        [0.005, Math.floor(reconciles * 0.6)],
        [0.01, Math.floor(reconciles * 0.85)],
        [0.05, reconciles],
        [0.1, reconciles],
        [1, reconciles],
      ]),
      reconciles * 0.006,
    );
    e.sample('controller_runtime_active_workers', { controller }, 0);
    e.sample('workqueue_depth', { name: controller }, 0);
    e.sample('workqueue_adds_total', { name: controller }, reconciles);
    e.sample('workqueue_retries_total', { name: controller }, 0);
  }
  e.sample('rest_client_requests_total', { code: '200', host: '10.96.0.1:443', method: 'GET' }, Math.floor(20 + t * 2));
  e.sample('rest_client_requests_total', { code: '200', host: '10.96.0.1:443', method: 'PATCH' }, Math.floor(2 + t * 0.2));
}

/** `metallb_k8s_client_*` (controller and speaker) or `frrk8s_k8s_client_*` (frr-k8s). */
function k8sClient(e: Exposition, ctx: RenderContext, prefix: 'metallb' | 'frrk8s', stale: boolean): void {
  const updates = Math.floor(12 + elapsed(ctx) * 0.5);
  e.sample(`${prefix}_k8s_client_updates_total`, {}, updates)
    .sample(`${prefix}_k8s_client_update_errors_total`, {}, 0)
    .sample(`${prefix}_k8s_client_config_loaded_bool`, {}, 1)
    .sample(`${prefix}_k8s_client_config_stale_bool`, {}, stale ? 1 : 0);
}

function renderController(target: SimTarget, ctx: RenderContext): string {
  const e = new Exposition();
  const s = ctx.state;
  for (const pool of s.spec.pools) {
    const labels = { pool: pool.name };
    e.sample('metallb_allocator_addresses_total', labels, s.capacity(pool.name));
    e.sample('metallb_allocator_addresses_in_use_total', labels, s.inUse(pool.name));
    for (const family of ['ipv4', 'ipv6'] as const) {
      e.sample(`metallb_allocator_${family}_addresses_total`, labels, s.capacity(pool.name, family));
      e.sample(`metallb_allocator_${family}_addresses_in_use_total`, labels, s.inUse(pool.name, family));
    }
  }
  k8sClient(e, ctx, 'metallb', s.staleConfig.has(target.path));
  controllerRuntime(e, ctx, ['service', 'PoolStatusController']);
  goProcess(e, ctx, 48e6);
  return e.render();
}

function renderSpeaker(target: SimTarget, ctx: RenderContext): string {
  const e = new Exposition();
  const s = ctx.state;
  const t = elapsed(ctx);
  for (const svc of s.announcedBy(target.node)) {
    for (const ip of svc.ips) {
      e.sample('metallb_speaker_announced', { service: `${svc.namespace}/${svc.name}`, protocol: svc.protocol, node: target.node, ip }, 1);
    }
  }
  for (const svc of s.announcedBy(target.node).filter((x) => x.protocol === 'layer2')) {
    for (const ip of svc.ips) {
      const requests = Math.floor(3 + t * 2);
      e.sample('metallb_layer2_requests_received', { ip }, requests);
      e.sample('metallb_layer2_responses_sent', { ip }, requests);
      e.sample('metallb_layer2_gratuitous_sent', { ip }, 1);
    }
  }
  if (ctx.bgpMode === 'native') {
    const prefixes = s.bgpPrefixes().length;
    for (const peer of s.spec.peers) {
      const clock = s.session(target.node, peer.address);
      const labels = { peer: `${peer.address}:${peer.port}` };
      e.sample('metallb_bgp_session_up', labels, clock.up ? 1 : 0);
      e.sample('metallb_bgp_updates_total', labels, Math.floor(prefixes + clock.upSeconds(ctx.now) / 2));
      e.sample('metallb_bgp_announced_prefixes_total', labels, clock.up ? prefixes : 0);
      e.sample('metallb_bgp_pending_prefixes_total', labels, prefixes);
    }
  }
  k8sClient(e, ctx, 'metallb', s.staleConfig.has(target.path));
  controllerRuntime(e, ctx, ['servicel2status', 'servicebgpstatus', 'ConfigurationStateController']);
  goProcess(e, ctx, 52e6);
  return e.render();
}

/**
 * FRR's BGP and BFD collectors: the FRR-mode sidecar (`metallb_` prefix, peer `IP:port`) or the
 * frr-k8s one (`frrk8s_` prefix, peer without port, plus received prefixes).
 */
function renderFrrMetrics(target: SimTarget, ctx: RenderContext, prefix: 'metallb' | 'frrk8s'): string {
  const e = new Exposition();
  const s = ctx.state;
  const prefixes = s.bgpPrefixes().length;
  for (const peer of s.spec.peers) {
    const clock = s.session(target.node, peer.address);
    const up = clock.upSeconds(ctx.now);
    const bgp = { peer: prefix === 'frrk8s' ? peer.address : `${peer.address}:${peer.port}`, vrf: peer.vrf };
    const opens = 1 + clock.ups;
    const keepalives = Math.floor(up);
    const updatesSent = Math.floor(prefixes + up / 2);
    const updatesReceived = Math.floor(1 + up / 4);
    e.sample(`${prefix}_bgp_session_up`, bgp, clock.up ? 1 : 0);
    e.sample(`${prefix}_bgp_announced_prefixes_total`, bgp, clock.up ? prefixes : 0);
    if (prefix === 'frrk8s') e.sample('frrk8s_bgp_received_prefixes_total', bgp, clock.up ? 1 : 0);
    e.sample(`${prefix}_bgp_opens_sent`, bgp, opens);
    e.sample(`${prefix}_bgp_opens_received`, bgp, opens);
    e.sample(`${prefix}_bgp_notifications_sent`, bgp, clock.downs);
    e.sample(`${prefix}_bgp_updates_total`, bgp, updatesSent);
    e.sample(`${prefix}_bgp_updates_total_received`, bgp, updatesReceived);
    e.sample(`${prefix}_bgp_keepalives_sent`, bgp, keepalives);
    e.sample(`${prefix}_bgp_keepalives_received`, bgp, keepalives);
    e.sample(`${prefix}_bgp_route_refresh_sent`, bgp, 0);
    e.sample(`${prefix}_bgp_total_sent`, bgp, opens + keepalives + updatesSent + clock.downs);
    e.sample(`${prefix}_bgp_total_received`, bgp, opens + keepalives + updatesReceived);

    const bfd = { peer: peer.address, vrf: peer.vrf };
    const packets = Math.floor(up * 3);
    e.sample(`${prefix}_bfd_session_up`, bfd, clock.up ? 1 : 0);
    e.sample(`${prefix}_bfd_control_packet_input`, bfd, packets);
    e.sample(`${prefix}_bfd_control_packet_output`, bfd, packets);
    e.sample(`${prefix}_bfd_echo_packet_input`, bfd, 0);
    e.sample(`${prefix}_bfd_echo_packet_output`, bfd, 0);
    e.sample(`${prefix}_bfd_session_up_events`, bfd, 1 + clock.ups);
    e.sample(`${prefix}_bfd_session_down_events`, bfd, clock.downs);
    e.sample(`${prefix}_bfd_zebra_notifications`, bfd, 1 + clock.ups + clock.downs);
  }
  goProcess(e, ctx, 24e6);
  return e.render();
}

function renderFrrK8sController(target: SimTarget, ctx: RenderContext): string {
  const e = new Exposition();
  k8sClient(e, ctx, 'frrk8s', ctx.state.staleConfig.has(target.path));
  controllerRuntime(e, ctx, ['frrconfiguration', 'node']);
  goProcess(e, ctx, 40e6);
  return e.render();
}

function renderKubeStateMetrics(ctx: RenderContext): string {
  const e = new Exposition();
  const s = ctx.state;
  for (const node of s.spec.nodes) {
    e.sample('kube_node_info', { node: node.name, internal_ip: node.ip, kubelet_version: 'v1.33.1', os_image: 'Debian GNU/Linux 12 (bookworm)' }, 1);
    for (const status of ['true', 'false', 'unknown']) {
      e.sample('kube_node_status_condition', { node: node.name, condition: 'Ready', status }, status === 'true' ? 1 : 0);
    }
    for (const taint of node.taints ?? []) {
      const labels: Record<string, string> = { node: node.name, key: taint.key, effect: taint.effect };
      if (taint.value !== '') labels['value'] = taint.value;
      e.sample('kube_node_spec_taint', labels, 1);
    }
  }
  const pods = new Map<string, SimTarget>();
  for (const t of ctx.clusterTargets) if (t.labels['pod'] && t.kind !== 'kubeStateMetrics') pods.set(t.labels['pod'], t);
  for (const [pod, t] of pods) {
    const node = s.spec.nodes.find((n) => n.name === t.node);
    const hostNetwork = t.kind !== 'controller';
    const labels: Labels = {
      namespace: t.labels['namespace'] ?? '',
      pod,
      node: t.node,
      host_ip: node?.ip ?? '',
      pod_ip: (t.labels['instance'] ?? '').replace(/:\d+$/, ''),
      created_by_kind: t.kind === 'controller' ? 'ReplicaSet' : 'DaemonSet',
      host_network: String(hostNetwork),
    };
    e.sample('kube_pod_info', labels, 1);
  }
  e.sample('kube_service_spec_type', { namespace: 'default', service: 'kubernetes', type: 'ClusterIP' }, 1);
  for (const svc of s.services) {
    e.sample('kube_service_spec_type', { namespace: svc.namespace, service: svc.name, type: 'LoadBalancer' }, 1);
    for (const ip of svc.ips) {
      e.sample('kube_service_status_load_balancer_ingress', { namespace: svc.namespace, service: svc.name, ip }, 1);
    }
  }
  return e.render();
}

/** The exposition text a target serves now. */
export function renderTarget(target: SimTarget, ctx: RenderContext): string {
  switch (target.kind) {
    case 'controller':
      return renderController(target, ctx);
    case 'speaker':
      return renderSpeaker(target, ctx);
    case 'frrMetrics':
      return renderFrrMetrics(target, ctx, 'metallb');
    case 'frrK8sMetrics':
      return renderFrrMetrics(target, ctx, 'frrk8s');
    case 'frrK8sController':
      return renderFrrK8sController(target, ctx);
    case 'kubeStateMetrics':
      return renderKubeStateMetrics(ctx);
  }
}
