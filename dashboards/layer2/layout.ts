import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { buildDashboard } from '../common/dashboard.js';
import { cell } from '../common/layout.js';
import { healthySteps, stat, table, timeseries, zeroIsGoodSteps } from '../common/panels.js';
import { filterVariable, hostVariable } from '../common/variables.js';
import { layer2Queries } from './queries.js';

/** Rows of the announcements table while neither variable narrows it. */
const defaultRows = 50;
/** The per-speaker ARP/NDP records have no `service` label to filter on. */
const everyService = 'The service filter does not apply (the rates are per speaker, all addresses together).';

/** Who announces which service address, layer 2 failovers, and ARP/NDP traffic. */
export function layer2Dashboard(cfg: MixinConfig): dashboard.Dashboard {
  const queries = layer2Queries(cfg);

  return buildDashboard(cfg, {
    title: 'Layer 2 and announcements',
    description: 'Which node announces which LoadBalancer address, layer 2 failovers, and ARP/NDP traffic of the speakers.',
    filters: [
      hostVariable(
        'Nodes whose speaker announces layer 2 addresses, by the address the speaker is scraped on (it uses the host network).',
        queries.variables.host,
      ),
      filterVariable({
        name: 'service',
        label: 'Service',
        description:
          'LoadBalancer services (namespace/name) announced with layer 2 by the selected nodes. Filters the announcement panels only.',
        query: queries.variables.service,
        allValue: '.*',
      }),
    ],
    sections: [
      {
        title: 'Announcements',
        cells: [
          cell(6, 4, stat, {
            title: 'Addresses announced',
            description:
              'Service addresses announced in the cluster, per protocol, whatever the filters (from a recording rule: BGP series grow with nodes x services).',
            unit: 'short',
            steps: healthySteps,
            noValue: '0',
            targets: [{ expr: queries.addressesAnnounced, legend: '{{protocol}}', instant: true }],
          }),
          cell(6, 4, stat, {
            title: 'Layer 2 addresses',
            description: 'Addresses announced with layer 2 (ARP/NDP) by the selected nodes.',
            unit: 'short',
            steps: healthySteps,
            noValue: '0',
            targets: [{ expr: queries.layer2Addresses, legend: 'Addresses', instant: true }],
          }),
          cell(6, 4, stat, {
            title: 'Layer 2 addresses with two announcers',
            description:
              'Layer 2 addresses announced by more than one of the selected nodes at once: clients may reach either (MetalLBL2DuplicateAnnouncer).',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: queries.addressesWithTwoAnnouncers, legend: 'Duplicated', instant: true }],
          }),
          cell(6, 4, stat, {
            title: 'Announcing nodes',
            description: 'Selected nodes whose speaker announces at least one layer 2 address.',
            unit: 'short',
            steps: healthySteps,
            noValue: '0',
            targets: [{ expr: queries.announcingNodes, legend: 'Nodes', instant: true }],
          }),
          cell(24, 10, table, {
            title: 'Who announces what',
            description: `Each selected layer 2 service address with the node that answers ARP/NDP for it; two rows for one address are a conflict. Until a node or service is chosen, only ${defaultRows} rows, addresses with two announcers first; choose nodes or services for the full list. (BGP addresses are advertised by every eligible node: see the BGP dashboard.)`,
            unit: 'short',
            columns: [
              ['service', 'Service'],
              ['ip', 'IP'],
              ['protocol', 'Protocol'],
              ['node', 'Node'],
            ],
            targets: [
              {
                expr: queries.whoAnnouncesWhat(defaultRows),
                legend: '{{service}} {{ip}}',
                instant: true,
                table: true,
              },
            ],
          }),
        ],
      },
      {
        title: 'Failovers',
        cells: [
          cell(8, 8, timeseries, {
            title: 'Gratuitous packets by node',
            description: `Gratuitous ARP/NDP packets the speakers of the selected nodes sent, which they do when they take addresses over (failover), over 5 minutes. The 20 with the most in the time range; a node is its speaker's address; empty while no node takes an address over. ${everyService}`,
            unit: 'pps',
            min: 0,
            noValue: 'None',
            targets: [{ expr: queries.busiest(20, 'gratuitous'), legend: '{{instance}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'Announcer changes by address',
            description: `How often the node announcing each layer 2 address changed within the last ${cfg.thresholds.l2AnnouncerChangeWindow}: red from MetalLBL2AnnouncerFlapping's threshold (${cfg.thresholds.l2AnnouncerChanges}). The 20 addresses with the most; empty while every address keeps its node. All nodes and services (a recording rule: the filters do not apply).`,
            unit: 'short',
            min: 0,
            steps: [
              [null, 'green'],
              [cfg.thresholds.l2AnnouncerChanges, 'red'],
            ],
            noValue: 'None',
            targets: [{ expr: queries.announcerChanges, legend: '{{service}} {{ip}}' }],
          }),
          cell(8, 8, timeseries, {
            title: 'Addresses with two announcers',
            description:
              'Layer 2 addresses announced by more than one node, with how many; empty when healthy. All nodes and services (a recording rule: the filters do not apply).',
            unit: 'short',
            min: 0,
            steps: [
              [null, 'green'],
              [2, 'red'],
            ],
            noValue: 'None',
            targets: [{ expr: queries.duplicateAnnouncers, legend: '{{ip}}' }],
          }),
        ],
      },
      {
        title: 'ARP and NDP',
        cells: [
          cell(12, 8, timeseries, {
            title: 'Requests by node',
            description: `ARP/NDP requests for owned addresses received by the speakers of the selected nodes, by the speaker's node address, over 5 minutes: the 25 with the most in the time range. ${everyService}`,
            unit: 'pps',
            min: 0,
            targets: [{ expr: queries.busiest(25, 'requests'), legend: '{{instance}}' }],
          }),
          cell(12, 8, timeseries, {
            title: 'Unanswered requests by node',
            description: `Requests minus responses for owned addresses, by the speakers of the selected nodes over 5 minutes: replies that failed to send. The 20 with the most in the time range; empty when healthy. ${everyService}`,
            unit: 'pps',
            min: 0,
            steps: [[null, 'green']],
            noValue: 'None',
            targets: [{ expr: queries.busiest(20, 'unanswered'), legend: '{{instance}}' }],
          }),
        ],
      },
    ],
  });
}
