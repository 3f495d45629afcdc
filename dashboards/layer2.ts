import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import { buildDashboard } from './common/dashboard.js';
import { cell } from './common/layout.js';
import { healthySteps, stat, table, timeseries, zeroIsGoodSteps } from './common/panels.js';
import { hostMatcher, oneLine, records } from './common/queries.js';
import { filterVariable } from './common/variables.js';
import { duplicateAnnouncersRecord } from '../rules/announcements.js';
import { layer2RateRecord, type Layer2Counter } from '../rules/layer2.js';

const serviceFilter = 'service=~"$service"';
const layer2 = 'protocol="layer2"';
/**
 * "All" is `.*`, which matches the empty value of a label no series has (Prometheus drops
 * `__`-prefixed labels); a chosen value does not. So a selector with these matchers returns
 * nothing until the variable narrows the selection, and the full table shows only then.
 */
const hostChosen = '__host_chosen__!~"${host}"';
const serviceChosen = '__service_chosen__!~"${service}"';
/** Rows of the announcements table while neither variable narrows it. */
const defaultRows = 50;
/** The per-speaker ARP/NDP records have no `service` label to filter on. */
const everyService = 'The service filter does not apply (the rates are per speaker, all addresses together).';

/**
 * Who announces which service address, layer 2 failovers, and ARP/NDP traffic. The announcements
 * and the recorded ARP/NDP rates both carry the speaker's `instance` (the node's address: speakers
 * use the host network), so the node filter applies to each on its own, with no join between them
 * at every step of a range query.
 */
export function layer2Dashboard(cfg: MixinConfig): dashboard.Dashboard {
  const q = Query.forDashboard(cfg);
  // Layer 2 announcements only: in BGP mode every eligible speaker announces every address, so
  // the BGP series grow with nodes x services (the overview counts them through a recording rule).
  const announced = (...extra: string[]) => q.metric('metallb_speaker_announced', undefined, layer2, hostMatcher, serviceFilter, ...extra);
  /** A recorded ARP/NDP rate of the speakers of the selected nodes. */
  const recorded = (counter: Layer2Counter) => q.scoped(layer2RateRecord(counter), hostMatcher);
  /** A recorded rate over the whole range, pinned to its end: a function of it runs once, not at every step. */
  const wholeRange = (counter: Layer2Counter) => `${recorded(counter)}[$__range] @ end()`;
  /**
   * `and` this to draw only the k speakers ranking highest by `ranking` (over `wholeRange`s):
   * a range query returns at most k series, and a line does not come and go from step to step.
   */
  const topSpeakers = (k: number, ranking: string) => `and on (${q.by('instance')})\ntopk(${k}, ${ranking})`;
  /** Speakers by the highest rate of a counter anywhere in the range. */
  const peakOf = (counter: Layer2Counter) => `max_over_time(${wholeRange(counter)})`;
  const rows = (...extra: string[]) => `count by (${q.by('service', 'ip', 'protocol', 'node')}) (${announced(...extra)})`;
  /** Nodes announcing each selected address: above 1 is a conflict, so conflicts sort first. */
  const announcers = `count by (${q.by('ip')}) (group by (${q.by('ip', 'node')}) (${announced()}))`;

  return buildDashboard(cfg, {
    title: 'Layer 2 and announcements',
    description: 'Which node announces which LoadBalancer address, layer 2 failovers, and ARP/NDP traffic of the speakers.',
    filters: [
      filterVariable({
        name: 'host',
        label: 'Node address',
        description: 'Nodes whose speaker announces layer 2 addresses, by the address the speaker is scraped on (it uses the host network).',
        query: oneLine(`label_values(${Query.forDashboard(cfg).metric('metallb_speaker_announced', undefined, layer2)}, instance)`),
        regex: '/^(.+?)(?::[0-9]+)?$/',
        // Matches the empty value too: see hostChosen.
        allValue: '.*',
      }),
      filterVariable({
        name: 'service',
        label: 'Service',
        description: 'LoadBalancer services (namespace/name) announced with layer 2 by the selected nodes. Filters the announcement panels only.',
        query: oneLine(`label_values(${Query.forDashboard(cfg).metric('metallb_speaker_announced', undefined, layer2, hostMatcher)}, service)`),
        allValue: '.*',
      }),
    ],
    sections: [
      {
        title: 'Announcements',
        cells: [
          cell(6, 4, stat({
            title: 'Addresses announced',
            description: 'Service addresses announced in the cluster, per protocol, whatever the filters (from a recording rule: BGP series grow with nodes x services).',
            unit: 'short',
            steps: healthySteps,
            noValue: '0',
            targets: [{ expr: `sum by (${q.by('protocol')}) (${q.scoped(records.announcedIps)})`, legend: '{{protocol}}', instant: true }],
          })),
          cell(6, 4, stat({
            title: 'Layer 2 addresses',
            description: 'Addresses announced with layer 2 (ARP/NDP) by the selected nodes.',
            unit: 'short',
            steps: healthySteps,
            noValue: '0',
            targets: [{ expr: `count(count by (${q.by('ip')}) (${announced()}))`, legend: 'Addresses', instant: true }],
          })),
          cell(6, 4, stat({
            title: 'Layer 2 addresses with two announcers',
            description: 'Layer 2 addresses announced by more than one of the selected nodes at once: clients may reach either (MetalLBL2DuplicateAnnouncer).',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: `count(count by (${q.by('ip')}) (${announced()}) > 1)`, legend: 'Duplicated', instant: true }],
          })),
          cell(6, 4, stat({
            title: 'Announcing nodes',
            description: 'Selected nodes whose speaker announces at least one layer 2 address.',
            unit: 'short',
            steps: healthySteps,
            noValue: '0',
            targets: [{ expr: `count(count by (${q.by('node')}) (${announced()}))`, legend: 'Nodes', instant: true }],
          })),
          cell(24, 10, table({
            title: 'Who announces what',
            description: `Each selected layer 2 service address with the node that answers ARP/NDP for it; two rows for one address are a conflict. Until a node or service is chosen, only ${defaultRows} rows, addresses with two announcers first; choose nodes or services for the full list. (BGP addresses are advertised by every eligible node: see the BGP dashboard.)`,
            unit: 'short',
            columns: [['service', 'Service'], ['ip', 'IP'], ['protocol', 'Protocol'], ['node', 'Node']],
            targets: [
              {
                expr: [
                  rows(hostChosen),
                  `or`,
                  rows(serviceChosen),
                  `or`,
                  `topk(${defaultRows}, ${rows()} * on (${q.by('ip')}) group_left () ${announcers})`,
                ].join('\n'),
                legend: '{{service}} {{ip}}',
                instant: true,
                table: true,
              },
            ],
          })),
        ],
      },
      {
        title: 'Failovers',
        cells: [
          cell(12, 8, timeseries({
            title: 'Gratuitous packets by node',
            description: `Gratuitous ARP/NDP packets the speakers of the selected nodes sent, which they do when they take addresses over (failover), over 5 minutes. The 20 with the most in the time range; a node is its speaker's address. ${everyService}`,
            unit: 'pps',
            min: 0,
            targets: [{ expr: `${recorded('metallb_layer2_gratuitous_sent')}\n${topSpeakers(20, peakOf('metallb_layer2_gratuitous_sent'))}`, legend: '{{instance}}' }],
          })),
          cell(12, 8, timeseries({
            title: 'Addresses with two announcers',
            description: 'Layer 2 addresses announced by more than one node, with how many; empty when healthy. All nodes and services (a recording rule: the filters do not apply).',
            unit: 'short',
            min: 0,
            steps: [[null, 'green'], [2, 'red']],
            noValue: 'None',
            targets: [{ expr: `${q.scoped(duplicateAnnouncersRecord)} > 1`, legend: '{{ip}}' }],
          })),
        ],
      },
      {
        title: 'ARP and NDP',
        cells: [
          cell(12, 8, timeseries({
            title: 'Requests and responses by node',
            description: `ARP/NDP requests received and responses sent by the speakers of the selected nodes, by the speaker's node address, over 5 minutes: the 25 with the most requests in the time range. ${everyService}`,
            unit: 'pps',
            min: 0,
            targets: [
              { expr: `${recorded('metallb_layer2_requests_received')}\n${topSpeakers(25, peakOf('metallb_layer2_requests_received'))}`, legend: '{{instance}} requests' },
              { expr: `${recorded('metallb_layer2_responses_sent')}\n${topSpeakers(25, peakOf('metallb_layer2_requests_received'))}`, legend: '{{instance}} responses' },
            ],
          })),
          cell(12, 8, timeseries({
            title: 'Unanswered requests by node',
            description: `Requests minus responses for owned addresses, by the speakers of the selected nodes over 5 minutes: replies that failed to send. The 20 with the most in the time range; zero when healthy. ${everyService}`,
            unit: 'pps',
            steps: [[null, 'green']],
            targets: [
              {
                // Narrowed to the top speakers before subtracting, so the subtraction runs on 20
                // series per step rather than on every speaker.
                expr: `(\n${recorded('metallb_layer2_requests_received')}\n${topSpeakers(20, `sum_over_time(${wholeRange('metallb_layer2_requests_received')}) - sum_over_time(${wholeRange('metallb_layer2_responses_sent')})`)}\n)\n- ${recorded('metallb_layer2_responses_sent')}`,
                legend: '{{instance}}',
              },
            ],
          })),
        ],
      },
    ],
  });
}
