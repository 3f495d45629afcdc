import type { Component } from '../../mixin/catalogue.js';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { Query } from '../../mixin/promql/query.js';
import { poolExpressions, records } from '../common/queries.js';
import { targetsUpShare } from '../common/targets-up.js';

/** Sessions established, configured and down, over every node and peer. */
export interface SessionCounts {
  readonly up: string;
  readonly configured: string;
  readonly down: string;
}

/**
 * The queries of the overview: every one an aggregate over a recording rule or a handful of
 * series, so the dashboard costs the same whatever the cluster's size.
 */
export function overviewQueries(cfg: MixinConfig) {
  const q = Query.forDashboard(cfg);
  const pools = poolExpressions(q, 'pool');
  const firing = q.scoped('ALERTS', 'alertname=~"MetalLB.*"', 'alertstate="firing"');
  // The records the config alerts read: the pods in trouble, not every controller, speaker and frr-k8s pod.
  const podsInTrouble = (record: string) => `count(${q.scoped(record)} > 0)`;
  // The recording rules sum sessions per cluster: one series instead of one per node and peer.
  const sessions = (family: string, upRecord: string, allRecord: string): SessionCounts | undefined => {
    if (q.bgpModes(family).length === 0) return undefined;
    const [up, all] = [q.scoped(upRecord), q.scoped(allRecord)];
    return { up: `sum(${up})`, configured: `sum(${all})`, down: `sum(${all} - ${up})` };
  };

  return {
    targetsUp: (component: Component): string => targetsUpShare(q, component),
    firingAlerts: `count(${firing})`,
    /** Instances firing, per alert and severity. */
    firingByAlert: `count by (${q.by('alertname', 'severity')}) (${firing})`,
    podsOnStaleConfig: podsInTrouble(records.k8sClient.configStale.name),
    podsWithoutConfig: podsInTrouble(records.k8sClient.configNotLoaded.name),
    // The record MetalLBSpeakersMissing reads: the same nodes, without joining every node and pod again.
    nodesWithoutSpeaker: `count(${q.scoped(records.components.speakersMissing)} > 0)`,
    /** Undefined when no enabled BGP mode has the family (BFD in native mode). */
    sessions: {
      BGP: sessions('bgp_session_up', records.bgp.sessionsUp.name, records.bgp.sessions.name),
      BFD: sessions('bfd_session_up', records.bgp.bfdSessionsUp.name, records.bgp.bfdSessions.name),
    },
    addressesAnnounced: `sum by (${q.by('protocol')}) (${q.scoped(records.announcements.announcedIps)})`,
    /** The 20 fullest pools, in percent. */
    fullestPools: `topk(20, ${pools.usagePercent})`,
    /** In percent, over the pools with a countable capacity. */
    usageOfAllPools: `100 * sum(${pools.inUse} and ${pools.capacity}) / sum(${q.scoped(records.pools.clusterCapacity)})`,
    addressesInUse: `sum(${q.scoped(records.pools.clusterInUse)})`,
    usableAddresses: `sum(${q.scoped(records.pools.clusterCapacity)})`,
  };
}
