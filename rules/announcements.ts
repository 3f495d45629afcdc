import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { RecordingRule, RuleGroup } from '../mixin/types.js';
import { PoolCapacity } from './pool-capacity.js';

/** Distinct announced service IPs per cluster and protocol (a handful of series). */
export const announcedIpsRecord = 'cluster_protocol:metallb_speaker_announced_ips:count';
/**
 * Layer-2 IPs announced by more than one node, with the node count; plus one 0 per cluster with
 * announcements, so a healthy cluster shows the rule evaluates (the alert keeps above 1).
 */
export const duplicateAnnouncersRecord = 'cluster_ip:metallb_speaker_layer2_announcers:count';
/**
 * Services each speaker announces over BGP (desired state), per node address (`host`: the
 * `instance` without its port, which the hostNetwork speaker, FRR sidecar and frr-k8s pods of a
 * node share), and 0 for a scraped speaker that announces none. With
 * `externalTrafficPolicy: Local` only nodes with local endpoints announce a Service, so the BGP
 * sessions of the other nodes rightly announce nothing: MetalLBBGPNoPrefixesAnnounced reads this
 * to tell them from a session that should carry prefixes.
 */
export const bgpServicesPerHostRecord = 'cluster_host:metallb_speaker_announced_bgp:count';
/**
 * The node addresses of the record above with nothing to announce over BGP (1 each) in clusters
 * where some speaker does announce: what MetalLBBGPNoPrefixesAnnounced excuses. Where no speaker
 * reports a BGP announcement at all, no node is excused, since that is the fault the alert is
 * for. Plus a 0 per cluster with speakers, so a healthy cluster shows the rule evaluates (the
 * alert keeps values above 0). Recorded so the alert reads the few idle nodes, not every speaker twice.
 */
export const bgpIdleHostsRecord = 'cluster_host:metallb_speaker_announced_bgp:idle';

/** The node address of a hostNetwork target: its `instance` without the port (kept whole when it has none). */
export function withHost(expr: string): string {
  return `label_replace(${expr}, "host", "$1", "instance", "(.+?)(:[0-9]+)?")`;
}

/**
 * Allocated LoadBalancer addresses no speaker announces: per Service and IP where
 * kube-state-metrics reports ingress IPs in the cluster, else per cluster how many; plus a 0 per
 * cluster running MetalLB where nothing is counted (the alert keeps above 0).
 */
export const notAnnouncedRecord = 'cluster_namespace_service_ip:metallb_addresses_not_announced:count';

/**
 * Only what the alerts and the overview need, so the stored series do not grow with services:
 * the raw announcements grow with nodes x services (in BGP mode every eligible speaker announces
 * every IP), and a per-IP record would still store one series per service IP. The heavy join with
 * kube-state-metrics runs here, once per evaluation, and records only the problems.
 * Nodes are counted once each: two Services sharing an IP on one node are one announcer.
 *
 * "Allocated but not announced" has two sources. kube-state-metrics names each LoadBalancer
 * ingress IP and its Service, so where it reports any, each IP is checked against the speakers'
 * announcements (exact, and the record names the Service). Without it, the allocator's in-use
 * count is compared with the number of distinct announced IPs: it tells how many, not which.
 * Both are limited to clusters that run MetalLB, so other clusters' Services never count. The
 * count sums the per-protocol counts, so an address advertised with both layer 2 and BGP counts
 * twice there; with kube-state-metrics every address is checked on its own.
 */
export function announcementRules(cfg: MixinConfig): RuleGroup<RecordingRule> {
  const q = Query.forRules(cfg);
  const cluster = q.by();
  const announced = q.metric('metallb_speaker_announced');
  const ingress = q.metric('kube_service_status_load_balancer_ingress', undefined, 'ip!=""');
  const inUse = `sum by (${cluster}) (${new PoolCapacity(q).pool('metallb_allocator_addresses_in_use_total')})`;
  // The first rule's output at the same timestamp (rules of a group run in order): reading the
  // announcements once more per rule costs about as much as the rule itself at 1,000 nodes.
  const announcedIPs = `sum by (${cluster}) (${announcedIpsRecord})`;
  return {
    name: 'metallb-announcements-rules',
    rules: [
      {
        record: announcedIpsRecord,
        expr: `count by (${q.by('protocol')}) (group by (${q.by('protocol', 'ip')}) (${announced}))`,
      },
      {
        record: duplicateAnnouncersRecord,
        expr: `count by (${q.by('ip')}) (group by (${q.by('ip', 'node')}) (${q.metric('metallb_speaker_announced', undefined, 'protocol="layer2"')})) > 1\nor\n${q.zeroPerCluster(announcedIpsRecord)}`,
      },
      {
        record: bgpServicesPerHostRecord,
        expr: `max by (${q.by('host')}) (${withHost(`count by (${q.by('instance')}) (${q.metric('metallb_speaker_announced', undefined, 'protocol="bgp"')})\nor\ngroup by (${q.by('instance')}) (${q.metric('up', 'speaker')}) * 0`)})`,
      },
      {
        record: bgpIdleHostsRecord,
        expr: `(${bgpServicesPerHostRecord} == bool 0) > 0\nand on (${cluster})\nsum by (${cluster}) (${bgpServicesPerHostRecord}) > 0\nor\n${q.zeroPerCluster(bgpServicesPerHostRecord)}`,
      },
      {
        record: notAnnouncedRecord,
        // With no speaker announcing anything, count() is empty, so the count side falls back
        // to 0 announced IPs.
        expr: [
          `(`,
          `  max by (${q.by('namespace', 'service', 'ip')}) (${ingress})`,
          `  unless on (${q.by('ip')})`,
          `  group by (${q.by('ip')}) (${announced})`,
          `  and on (${cluster})`,
          `  ${inUse} > 0`,
          `)`,
          `or`,
          `(`,
          `  (`,
          `    ${inUse}`,
          `    - on (${cluster})`,
          `    (${announcedIPs} or on (${cluster}) ${inUse} * 0)`,
          `  ) > 0`,
          `  unless on (${cluster})`,
          `  group by (${cluster}) (${ingress})`,
          `)`,
          `or`,
          `${inUse} * 0`,
        ].join('\n'),
      },
    ],
  };
}
