import type { MixinConfig } from '../../mixin/config/schema.js';
import { problemsAbove } from '../../mixin/promql/problems.js';
import { Query } from '../../mixin/promql/query.js';
import { hostMatcher, oneLine, records } from '../common/queries.js';
import { chosen, stableTopk } from '../common/selection.js';

const serviceFilter = 'service=~"$service"';
const layer2 = 'protocol="layer2"';

/**
 * The queries of the layer 2 dashboard. The announcements and the recorded ARP/NDP rates both
 * carry the speaker's `instance` (the node's address: speakers use the host network), so the node
 * filter applies to each on its own, with no join between them at every step of a range query.
 */
/** The layer 2 counters recorded per speaker (rules/layer2.ts). */
export type Layer2Counter = keyof typeof records.layer2;

export function layer2Queries(cfg: MixinConfig) {
  const q = Query.forDashboard(cfg);
  const bySpeaker = q.by('instance');
  // Layer 2 announcements only: in BGP mode every eligible speaker announces every address, so
  // the BGP series grow with nodes x services (the overview counts them through a recording rule).
  const announced = (...extra: string[]) => q.metric('metallb_speaker_announced', undefined, layer2, hostMatcher, serviceFilter, ...extra);
  /** A recorded ARP/NDP rate of the speakers of the selected nodes. */
  const recorded = (counter: Layer2Counter) => q.scoped(records.layer2[counter], hostMatcher);
  const rows = (...extra: string[]) => `count by (${q.by('service', 'ip', 'protocol', 'node')}) (${announced(...extra)})`;
  /** Nodes announcing each selected address: above 1 is a conflict. */
  const announcers = `count by (${q.by('ip')}) (group by (${q.by('ip', 'node')}) (${announced()}))`;

  return {
    variables: {
      host: oneLine(`label_values(${q.metric('metallb_speaker_announced', undefined, layer2)}, instance)`),
      service: oneLine(`label_values(${q.metric('metallb_speaker_announced', undefined, layer2, hostMatcher)}, service)`),
    },
    /** All addresses of the cluster, per protocol, whatever the filters (a recording rule). */
    addressesAnnounced: `sum by (${q.by('protocol')}) (${q.scoped(records.announcements.announcedIps)})`,
    layer2Addresses: `count(count by (${q.by('ip')}) (${announced()}))`,
    addressesWithTwoAnnouncers: `count(count by (${q.by('ip')}) (${announced()}) > 1)`,
    announcingNodes: `count(count by (${q.by('node')}) (${announced()}))`,
    /**
     * One row per selected address and announcing node: every row once a node or service is
     * chosen (see `chosen`), else the first `rows`, addresses with two announcers first.
     */
    whoAnnouncesWhat: (defaultRows: number): string =>
      [
        rows(chosen('host')),
        `or`,
        rows(chosen('service')),
        `or`,
        `topk(${defaultRows}, ${rows()} * on (${q.by('ip')}) group_left () ${announcers})`,
      ].join('\n'),
    /** Layer 2 addresses whose announcing node changed within the alert's window, all of the cluster (a recording rule). */
    announcerChanges: `topk(20, ${q.scoped(records.controllerHealth.layer2AnnouncerChangeCount)} > 0)`,
    /** All addresses of the cluster with more than one announcer (a recording rule). */
    duplicateAnnouncers: `${q.scoped(records.announcements.duplicateLayer2Announcers)} > 1`,
    /** The k speakers with the highest rate of a counter anywhere in the range (of a problem record, above its 0 per cluster). */
    busiest: (k: number, counter: Layer2Counter): string => {
      const selector = recorded(counter);
      return records.layer2[counter].kind === 'problems'
        ? stableTopk(k, selector, bySpeaker, 'topk', problemsAbove(selector))
        : stableTopk(k, selector, bySpeaker);
    },
  };
}
