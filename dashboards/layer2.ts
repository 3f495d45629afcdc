import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import { buildDashboard } from './common/dashboard.js';
import { cell } from './common/layout.js';
import { healthySteps, stat, table, timeseries, zeroIsGoodSteps } from './common/panels.js';
import { increase, oneLine, rate, records } from './common/queries.js';
import { filterVariable } from './common/variables.js';

const nodeFilter = 'node=~"$node"';
const serviceFilter = 'service=~"$service"';
const layer2 = 'protocol="layer2"';

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
  const announced = () => q.metric('metallb_speaker_announced', undefined, layer2, nodeFilter, serviceFilter);
  const selectedIps = `on (${q.by('ip')}) ${announced()}`;
  /** A layer 2 counter's per-interval function, restricted to the selected announcements. */
  const l2 = (fn: (s: string) => string, name: string) => `(${fn(q.metric(name))} and ${selectedIps})`;
  const requests = l2(rate, 'metallb_layer2_requests_received');
  const responses = l2(rate, 'metallb_layer2_responses_sent');
  const gratuitous = l2(increase, 'metallb_layer2_gratuitous_sent');

  return buildDashboard(cfg, {
    title: 'Layer 2 and announcements',
    description: 'Which node announces which LoadBalancer address, layer 2 failovers, and ARP/NDP traffic of the speakers.',
    filters: [
      filterVariable({
        name: 'node',
        label: 'Node',
        description: 'Nodes whose speaker announces layer 2 addresses.',
        query: oneLine(`label_values(${Query.forDashboard(cfg).metric('metallb_speaker_announced', undefined, layer2)}, node)`),
      }),
      filterVariable({
        name: 'service',
        label: 'Service',
        description: 'LoadBalancer services (namespace/name) announced with layer 2 by the selected nodes.',
        query: oneLine(`label_values(${Query.forDashboard(cfg).metric('metallb_speaker_announced', undefined, layer2, nodeFilter)}, service)`),
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
            description: 'Each selected layer 2 service address with the node that answers ARP/NDP for it; two rows for one address are a conflict. (BGP addresses are advertised by every eligible node: see the BGP dashboard.)',
            unit: 'short',
            columns: [['service', 'Service'], ['ip', 'IP'], ['protocol', 'Protocol'], ['node', 'Node']],
            targets: [
              {
                expr: `count by (${q.by('service', 'ip', 'protocol', 'node')}) (${announced()})`,
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
            description: 'Gratuitous ARP/NDP packets a node sent for the selected addresses, which it does when it takes them over (failover). The 20 nodes with the most; a node is its speaker\'s address.',
            unit: 'short',
            min: 0,
            bars: true,
            targets: [{ expr: `topk(20, sum by (${q.by('instance')}) (${gratuitous}))`, legend: '{{instance}}' }],
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
            description: 'ARP/NDP requests received and responses sent for the selected addresses, by the speaker\'s node address: the 10 busiest nodes.',
            unit: 'pps',
            min: 0,
            targets: [
              { expr: `topk(10, sum by (${q.by('instance')}) (${requests}))`, legend: '{{instance}} requests' },
              { expr: `topk(10, sum by (${q.by('instance')}) (${responses}))`, legend: '{{instance}} responses' },
            ],
          })),
          cell(12, 8, timeseries({
            title: 'Unanswered requests by node',
            description: 'Requests minus responses for owned addresses: replies that failed to send. The 10 nodes with the most; zero when healthy.',
            unit: 'pps',
            steps: [[null, 'green']],
            targets: [
              {
                expr: `topk(10, sum by (${q.by('instance')}) (${rate(q.metric('metallb_layer2_requests_received'))} - ${rate(q.metric('metallb_layer2_responses_sent'))} and ${selectedIps}))`,
                legend: '{{instance}}',
              },
            ],
          })),
          cell(12, 8, timeseries({
            title: 'Requests by address',
            description: 'ARP/NDP requests received per selected address: the 20 busiest.',
            unit: 'pps',
            min: 0,
            targets: [{ expr: `topk(20, sum by (${q.by('ip')}) (${requests}))`, legend: '{{ip}}' }],
          })),
          cell(12, 8, timeseries({
            title: 'Gratuitous packets by address',
            description: 'Gratuitous ARP/NDP packets per selected address (failovers of that address): the 20 with the most.',
            unit: 'short',
            min: 0,
            bars: true,
            targets: [{ expr: `topk(20, sum by (${q.by('ip')}) (${gratuitous}))`, legend: '{{ip}}' }],
          })),
        ],
      },
    ],
  });
}
