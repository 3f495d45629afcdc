import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import { buildDashboard } from './common/dashboard.js';
import { cell } from './common/layout.js';
import { healthySteps, stat, table, timeseries, zeroIsGoodSteps } from './common/panels.js';
import { oneLine, records } from './common/queries.js';
import { filterVariable } from './common/variables.js';
import { layer2RateRecord, type Layer2Counter } from '../rules/layer2.js';

const nodeFilter = 'node=~"$node"';
const serviceFilter = 'service=~"$service"';
const layer2 = 'protocol="layer2"';
/**
 * "All" is `.*`, which matches the empty value of a label no series has (Prometheus drops
 * `__`-prefixed labels); a chosen value does not. So a selector with these matchers returns
 * nothing until the variable narrows the selection, and the full table shows only then.
 */
const nodeChosen = '__node_chosen__!~"${node}"';
const serviceChosen = '__service_chosen__!~"${service}"';
/** Rows of the announcements table while neither variable narrows it. */
const defaultRows = 50;

/**
 * Who announces which service address, layer 2 failovers, and ARP/NDP traffic. The ARP/NDP
 * counters carry only `ip`; they are tied to the node and service variables through the
 * announcements (`and on (cluster, ip)`), which also drops the counters of addresses no longer
 * announced (MetalLB never deletes those series).
 */
export function layer2Dashboard(cfg: MixinConfig): dashboard.Dashboard {
  const q = Query.forDashboard(cfg);
  // Layer 2 announcements only: in BGP mode every eligible speaker announces every address, so
  // the BGP series grow with nodes x services (the overview counts them through a recording rule).
  const announced = (...extra: string[]) => q.metric('metallb_speaker_announced', undefined, layer2, nodeFilter, serviceFilter, ...extra);
  /**
   * A recorded ARP/NDP rate (all speakers, 5 minutes), restricted to the speakers of the selected
   * nodes (`instance`, which the announcements carry too) or to the selected addresses (`ip`).
   */
  const selected = (by: 'instance' | 'ip', at = '') => `group by (${q.by(by)}) (${announced()}${at})`;
  /**
   * The k series of `recordedExpr` (recorded rates only) with the highest value anywhere in the
   * range among the selected ones, drawn for the whole range: a range query returns at most k
   * series, and a line does not come and go from step to step. The ranking is pinned to the
   * range's end (`@ end()`), so Prometheus evaluates it once instead of at every step.
   */
  const stableTop = (k: number, by: 'instance' | 'ip', recordedExpr: string) =>
    `${recordedExpr} and on (${q.by(by)}) ${selected(by)}\nand on (${q.by(by)})\ntopk(${k}, max_over_time((${recordedExpr})[$__range:] @ end()) and on (${q.by(by)}) ${selected(by, ' @ end()')})`;
  const recorded = (counter: Layer2Counter, by: 'instance' | 'ip') => q.scoped(layer2RateRecord(counter, by));
  const rows = (...extra: string[]) => `count by (${q.by('service', 'ip', 'protocol', 'node')}) (${announced(...extra)})`;
  /** Nodes announcing each selected address: above 1 is a conflict, so conflicts sort first. */
  const announcers = `count by (${q.by('ip')}) (group by (${q.by('ip', 'node')}) (${announced()}))`;

  return buildDashboard(cfg, {
    title: 'Layer 2 and announcements',
    description: 'Which node announces which LoadBalancer address, layer 2 failovers, and ARP/NDP traffic of the speakers.',
    filters: [
      filterVariable({
        name: 'node',
        label: 'Node',
        description: 'Nodes whose speaker announces layer 2 addresses.',
        query: oneLine(`label_values(${Query.forDashboard(cfg).metric('metallb_speaker_announced', undefined, layer2)}, node)`),
        // Matches the empty value too: see nodeChosen.
        allValue: '.*',
      }),
      filterVariable({
        name: 'service',
        label: 'Service',
        description: 'LoadBalancer services (namespace/name) announced with layer 2 by the selected nodes.',
        query: oneLine(`label_values(${Query.forDashboard(cfg).metric('metallb_speaker_announced', undefined, layer2, nodeFilter)}, service)`),
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
            description: 'Layer 2 addresses announced by more than one node at once: clients may reach either (MetalLBL2DuplicateAnnouncer).',
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
                  rows(nodeChosen),
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
          cell(8, 8, timeseries({
            title: 'New layer 2 announcements by node',
            description: 'Layer 2 addresses a node started announcing in each interval: a failover moving addresses to it, or a new service. The 20 nodes with the most.',
            unit: 'short',
            min: 0,
            bars: true,
            targets: [
              {
                expr: `topk(20, count by (${q.by('node')}) (${announced()} unless on (${q.by('service', 'ip', 'node')}) ${q.metric('metallb_speaker_announced', undefined, layer2)} offset $__rate_interval))`,
                legend: '{{node}}',
              },
            ],
          })),
          cell(8, 8, timeseries({
            title: 'Gratuitous packets by node',
            description: 'Gratuitous ARP/NDP packets the speakers of the selected nodes sent, which they do when they take addresses over (failover), over 5 minutes. The 20 with the most in the time range; a node is its speaker\'s address.',
            unit: 'pps',
            min: 0,
            targets: [{ expr: stableTop(20, 'instance', recorded('metallb_layer2_gratuitous_sent', 'instance')), legend: '{{instance}}' }],
          })),
          cell(8, 8, timeseries({
            title: 'Addresses with two announcers',
            description: 'Layer 2 addresses announced by more than one node, with how many; empty when healthy.',
            unit: 'short',
            min: 0,
            steps: [[null, 'green'], [2, 'red']],
            targets: [{ expr: `count by (${q.by('service', 'ip')}) (${announced()}) > 1`, legend: '{{service}} {{ip}}' }],
          })),
        ],
      },
      {
        title: 'ARP and NDP',
        cells: [
          cell(12, 8, timeseries({
            title: 'Requests and responses by node',
            description: 'ARP/NDP requests received and responses sent by the speakers of the selected nodes, by the speaker\'s node address, over 5 minutes: the 25 busiest of the time range.',
            unit: 'pps',
            min: 0,
            targets: [
              { expr: stableTop(25, 'instance', recorded('metallb_layer2_requests_received', 'instance')), legend: '{{instance}} requests' },
              { expr: stableTop(25, 'instance', recorded('metallb_layer2_responses_sent', 'instance')), legend: '{{instance}} responses' },
            ],
          })),
          cell(12, 8, timeseries({
            title: 'Unanswered requests by node',
            description: 'Requests minus responses for owned addresses, by the speakers of the selected nodes over 5 minutes: replies that failed to send. The 20 with the most in the time range; zero when healthy.',
            unit: 'pps',
            steps: [[null, 'green']],
            targets: [
              {
                expr: stableTop(20, 'instance', `(${q.scoped(layer2RateRecord('metallb_layer2_requests_received', 'instance'))} - ${q.scoped(layer2RateRecord('metallb_layer2_responses_sent', 'instance'))})`),
                legend: '{{instance}}',
              },
            ],
          })),
          cell(12, 8, timeseries({
            title: 'Requests by address',
            description: 'ARP/NDP requests received per selected address over 5 minutes: the 25 busiest of the time range.',
            unit: 'pps',
            min: 0,
            targets: [{ expr: stableTop(25, 'ip', recorded('metallb_layer2_requests_received', 'ip')), legend: '{{ip}}' }],
          })),
          cell(12, 8, timeseries({
            title: 'Gratuitous packets by address',
            description: 'Gratuitous ARP/NDP packets per selected address (failovers of that address) over 5 minutes: the 25 with the most in the time range.',
            unit: 'pps',
            min: 0,
            targets: [{ expr: stableTop(25, 'ip', recorded('metallb_layer2_gratuitous_sent', 'ip')), legend: '{{ip}}' }],
          })),
        ],
      },
    ],
  });
}
