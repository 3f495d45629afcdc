import type { MixinConfig } from '../mixin/config/schema.js';
import { problemRecord, problemRecordParts, problemsAbove } from '../mixin/promql/problems.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { PoolCapacity } from './pool-capacity.js';
import { defineRecord, type RecordGroup } from './record.js';
import { byHostLastDigit, byLastDigit } from './shards.js';
import { inCluster } from '../alerts/templates.js';

/** The node address of a hostNetwork target: its `instance` without the port (kept whole when it has none). */
export function withHost(expr: string): string {
  return `label_replace(${expr}, "host", "$1", "instance", "(.+?)(:[0-9]+)?")`;
}

const announced = (q: Query, ...extra: string[]) => q.metric('metallb_speaker_announced', undefined, ...extra);

/**
 * Distinct announced service IPs per cluster and protocol, in one series per part of the IPs
 * (`shard`: their last digit, see rules/shards.ts), so that each of its rules reads a share of the
 * announcements; readers sum the parts.
 */
const announcedIps = defineRecord({
  name: 'cluster_protocol:metallb_speaker_announced_ips:count',
  kind: 'aggregate',
  readBy: ['metallb-layer2/Addresses announced', 'metallb-overview/Addresses announced'],
  expr: (q) =>
    byLastDigit('ip').map(
      ({ matcher, name }) =>
        `label_replace(count by (${q.by('protocol')}) (group by (${q.by('protocol', 'ip')}) (${announced(q, matcher)})), "shard", "${name}", "", "")`,
    ),
});

/**
 * LoadBalancer ingress IPs kube-state-metrics reports per cluster, one series per part of the IPs
 * (`shard`, as above; an ingress with a hostname and no IP is in no part): where it reports none, MetalLBAddressesNotAnnounced counts instead of
 * naming Services. Recorded so that rule reads a few series, not every Service.
 */
const ingressIps = defineRecord({
  name: 'cluster:kube_service_status_load_balancer_ingress:count',
  kind: 'aggregate',
  readBy: [],
  expr: (q) =>
    byLastDigit('ip').map(
      ({ matcher, name }) =>
        `label_replace(count by (${q.by()}) (${q.metric('kube_service_status_load_balancer_ingress', undefined, matcher)}), "shard", "${name}", "", "")`,
    ),
});

/** Layer-2 IPs announced by more than one node, with the node count. */
const duplicateLayer2Announcers = defineRecord({
  name: 'cluster_ip:metallb_speaker_layer2_announcers:count',
  kind: 'problems',
  readBy: ['MetalLBL2DuplicateAnnouncer', 'metallb-layer2/Addresses with two announcers'],
  expr: (q) =>
    problemRecord(
      `count by (${q.by('ip')}) (group by (${q.by('ip', 'node')}) (${announced(q, 'protocol="layer2"')})) > 1`,
      q.perCluster(announcedIps.name),
    ),
});

/**
 * The node addresses (`host`: a speaker target's `instance` without its port, which the
 * hostNetwork speaker, FRR sidecar and frr-k8s pods of a node share) whose scraped speaker
 * announces no Service over BGP, 1 each, in clusters where some speaker does: what
 * MetalLBBGPNoPrefixesAnnounced excuses. With `externalTrafficPolicy: Local` only nodes with local
 * endpoints announce a Service, so the BGP sessions of the other nodes rightly announce nothing.
 * Where no speaker reports a BGP announcement at all (the count of announced BGP addresses above
 * is 0), no node is excused, since that is the fault the alert is for. One rule per part of the
 * nodes (the host's last digit), each reading a share of the BGP announcements; the heartbeat
 * comes with the last.
 */
const idleBgpHosts = defineRecord({
  name: 'cluster_host:metallb_speaker_announced_bgp:idle',
  kind: 'problems',
  readBy: ['MetalLBBGPNoPrefixesAnnounced'],
  expr: (q) => {
    const parts = byHostLastDigit().map(({ matcher }) =>
      [
        `group by (${q.by('host')}) (${withHost(q.metric('up', 'speaker', matcher))})`,
        `unless on (${q.by('host')})`,
        withHost(`group by (${q.by('instance')}) (${announced(q, 'protocol="bgp"', matcher)})`),
        `and on (${q.by()})`,
        `sum by (${q.by()}) (${announcedIps.name}{protocol="bgp"}) > 0`,
      ].join('\n'),
    );
    return problemRecordParts(parts, q.clustersScraping('speaker'));
  },
});

/**
 * Allocated LoadBalancer addresses no speaker announces: per Service and IP where
 * kube-state-metrics reports ingress IPs in the cluster, else per cluster how many.
 *
 * "Allocated but not announced" has two sources. kube-state-metrics names each LoadBalancer
 * ingress IP and its Service, so where it reports any, each IP is checked against the speakers'
 * announcements (exact, and the record names the Service). Without it, the allocator's in-use
 * count is compared with the number of distinct announced IPs: it tells how many, not which.
 * Both are limited to clusters that run MetalLB, so other clusters' Services never count. The
 * count sums the per-protocol counts, so an address advertised with both layer 2 and BGP counts
 * twice there; with kube-state-metrics every address is checked on its own.
 */
const notAnnounced = defineRecord({
  name: 'cluster_namespace_service_ip:metallb_addresses_not_announced:count',
  kind: 'problems',
  readBy: ['MetalLBAddressesNotAnnounced'],
  expr: (q) => {
    const cluster = q.by();
    const inUse = q.perCluster(new PoolCapacity(q).pool('metallb_allocator_addresses_in_use_total'), 'sum');
    // Earlier rules' output at the same timestamp (rules of a group run in order): reading the
    // announcements once more per rule costs about as much as the rule itself at 1,000 nodes.
    const announcedIPs = `sum by (${cluster}) (${announcedIps.name})`;
    // Per Service IP where kube-state-metrics reports them: one rule per part of the IPs, each
    // reading a share of the Services and of the announcements.
    const perService = byLastDigit('ip').map(({ matcher }) =>
      [
        `max by (${q.by('namespace', 'service', 'ip')}) (${q.metric('kube_service_status_load_balancer_ingress', undefined, matcher)})`,
        `unless on (${q.by('ip')})`,
        `group by (${q.by('ip')}) (${announced(q, matcher)})`,
        `and on (${cluster})`,
        `${inUse} > 0`,
      ].join('\n'),
    );
    // Without kube-state-metrics, per cluster; with no speaker announcing anything, count() is
    // empty, so the count side falls back to 0 announced IPs. The heartbeat comes with it.
    const perCluster = [
      `(`,
      `  ${inUse}`,
      `  - on (${cluster})`,
      `  (${announcedIPs} or on (${cluster}) ${inUse} * 0)`,
      `) > 0`,
      `unless on (${cluster})`,
      `group by (${cluster}) (${ingressIps.name})`,
    ].join('\n');
    return [...perService, problemRecord(perCluster, inUse)];
  },
});

/**
 * Announcements: only what the alerts and the overview need, so the stored series do not grow with
 * services: the raw announcements grow with nodes x services (in BGP mode every eligible speaker
 * announces every IP), and a per-IP record would still store one series per service IP. The heavy
 * join with kube-state-metrics runs here, once per evaluation, and records only the problems.
 * Nodes are counted once each: two Services sharing an IP on one node are one announcer.
 */
export const announcements = { announcedIps, ingressIps, duplicateLayer2Announcers, idleBgpHosts, notAnnounced };

/** What MetalLBL2DuplicateAnnouncer (`for: 5m`) reads: layer 2 announcements only, a small part of the family. */
export const announcementRecords: RecordGroup = {
  name: 'metallb-announcements-rules',
  pace: 'medium',
  records: () => [duplicateLayer2Announcers],
};

/**
 * The reads of every announcement (nodes x services in BGP mode), at the slow interval: the
 * dashboards' counts, and what MetalLBAddressesNotAnnounced and MetalLBBGPNoPrefixesAnnounced
 * (both `for: 10m`) read.
 */
export const announcementSlowRecords: RecordGroup = {
  name: 'metallb-announcements-slow-rules',
  pace: 'slow',
  records: () => [announcedIps, ingressIps, idleBgpHosts, notAnnounced],
};

/** Service addresses nobody announces, and layer-2 addresses announced twice. */
export function announcementAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  return {
    name: 'metallb-announcements',
    alerts: [
      {
        alert: 'MetalLBAddressesNotAnnounced',
        severity: 'warning',
        // Where no target matches the speaker selector nothing can be announced, which is
        // MetalLBSpeakerTargetsMissing's one alert, not one per Service.
        expr: `${problemsAbove(notAnnounced.name)}\nand on (${q.by()})\n${q.metric('up', 'speaker')}`,
        summary: 'A MetalLB LoadBalancer address is not announced.',
        description: `{{ with $labels.ip }}LoadBalancer address {{ . }} of Service {{ $labels.namespace }}/{{ $labels.service }}{{ else }}{{ $value | humanize }} LoadBalancer addresses allocated by MetalLB{{ end }}${inCluster(cfg)} {{ if $labels.ip }}is{{ else }}are{{ end }} announced by no speaker and unreachable from outside the cluster. A Service without ready endpoints is not announced either; otherwise check the L2Advertisements/BGPAdvertisements of its pool and the speakers.`,
      },
      {
        alert: 'MetalLBL2DuplicateAnnouncer',
        severity: 'warning',
        expr: problemsAbove(duplicateLayer2Announcers.name, 1),
        summary: 'A MetalLB layer-2 address is announced by more than one node.',
        description: `Layer-2 address {{ $labels.ip }}${inCluster(cfg)} is announced by {{ $value | humanize }} nodes at once: clients' ARP/NDP caches flip between them and connections break.`,
      },
    ],
  };
}
