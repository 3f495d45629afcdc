import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { buildDashboard } from '../common/dashboard.js';
import { cell, type Cell } from '../common/layout.js';
import { barGauge, healthySteps, stat, table, timeseries, zeroIsGoodSteps } from '../common/panels.js';
import { k8sClientComponents, poolUsageSteps } from '../common/queries.js';
import { targetsUpStat } from '../common/targets-up.js';
import { overviewQueries } from './queries.js';

/** Health of one cluster at a glance: every number here is an aggregate, whatever the cluster's size. */
export function overviewDashboard(cfg: MixinConfig): dashboard.Dashboard {
  const queries = overviewQueries(cfg);

  const targetStats: Cell[] = k8sClientComponents(cfg).map((c) => cell(4, 4, targetsUpStat(c, queries.targetsUp(c))));

  const sessionStats = (kind: 'BGP' | 'BFD'): Cell[] => {
    const counts = queries.sessions[kind];
    return counts === undefined
      ? []
      : [
          cell(4, 4, stat, {
            title: `${kind} sessions`,
            description: `${kind} sessions established, and all sessions the speakers report (configured), over every node and peer.`,
            unit: 'short',
            steps: healthySteps,
            noValue: 'No sessions',
            targets: [
              { expr: counts.up, legend: 'Up', instant: true },
              { expr: counts.configured, legend: 'Configured', instant: true },
            ],
          }),
          cell(4, 4, stat, {
            title: `${kind} sessions down`,
            description: `${kind} sessions that are configured but not established, over every node and peer.`,
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: counts.down, legend: 'Down', instant: true }],
          }),
        ];
  };

  return buildDashboard(cfg, {
    title: 'Overview',
    description: 'MetalLB health at a glance: alerts, configuration, targets, sessions, announcements and address pools.',
    filters: [],
    sections: [
      {
        title: 'Health',
        cells: [
          cell(4, 4, stat, {
            title: 'Firing MetalLB alerts',
            description: 'MetalLB alerts firing now in this cluster (from the ALERTS series of the Prometheus that evaluates the mixin).',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: queries.firingAlerts, legend: 'Firing', instant: true }],
          }),
          cell(4, 4, stat, {
            title: 'Pods on a stale configuration',
            description: 'Controller, speaker and frr-k8s pods whose latest configuration failed to load, so they run on an older one.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: queries.podsOnStaleConfig, legend: 'Stale', instant: true }],
          }),
          cell(4, 4, stat, {
            title: 'Pods without a configuration',
            description: 'Controller, speaker and frr-k8s pods that never loaded their configuration.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: queries.podsWithoutConfig, legend: 'Not loaded', instant: true }],
          }),
          ...targetStats,
          cell(4, 4, stat, {
            title: 'Nodes without a speaker',
            description:
              'Ready nodes that run no MetalLB speaker Prometheus scrapes (MetalLBSpeakersMissing, with its nodeMatchers): MetalLB cannot announce service addresses from them.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            noValue: '0',
            targets: [{ expr: queries.nodesWithoutSpeaker, legend: 'Missing', instant: true }],
          }),
          ...sessionStats('BGP'),
          ...sessionStats('BFD'),
          cell(4, 4, stat, {
            title: 'Addresses announced',
            description:
              'Service addresses that at least one speaker announces, per protocol (desired state: routers and neighbours may not have converged).',
            unit: 'short',
            steps: healthySteps,
            noValue: '0',
            targets: [{ expr: queries.addressesAnnounced, legend: '{{protocol}}', instant: true }],
          }),
        ],
      },
      {
        title: 'Address pools',
        cells: [
          cell(12, 8, barGauge, {
            title: 'Pools by usage',
            description: `The 20 fullest address pools, in percent of their usable addresses. Orange from ${cfg.thresholds.poolUsage.warning}%, red from ${cfg.thresholds.poolUsage.critical}%, as the usage alert. Pools with uncountable capacity (an IPv6 /64) are left out.`,
            unit: 'percent',
            min: 0,
            max: 100,
            steps: poolUsageSteps(cfg),
            targets: [{ expr: queries.fullestPools, legend: '{{pool}}', instant: true }],
          }),
          cell(4, 8, stat, {
            title: 'Usage of all pools',
            description: 'Addresses in use over usable addresses, summed over the pools with a countable capacity.',
            unit: 'percent',
            steps: poolUsageSteps(cfg),
            targets: [{ expr: queries.usageOfAllPools, legend: 'Usage', instant: true }],
          }),
          cell(4, 8, stat, {
            title: 'Addresses in use',
            description: 'LoadBalancer addresses assigned from all pools.',
            unit: 'short',
            steps: healthySteps,
            targets: [{ expr: queries.addressesInUse, legend: 'In use', instant: true }],
          }),
          cell(4, 8, stat, {
            title: 'Usable addresses',
            description: 'Addresses the pools can assign, summed over pools with a countable capacity (an IPv6 /64 is left out).',
            unit: 'short',
            steps: healthySteps,
            targets: [{ expr: queries.usableAddresses, legend: 'Usable', instant: true }],
          }),
        ],
      },
      {
        title: 'Now',
        cells: [
          cell(12, 8, table, {
            title: 'Firing MetalLB alerts',
            description: 'Each MetalLB alert firing now, with its severity and how many instances of it fire.',
            unit: 'short',
            columns: [
              ['alertname', 'Alert'],
              ['severity', 'Severity'],
              ['Value', 'Firing'],
            ],
            sortBy: 'Firing',
            targets: [{ expr: queries.firingByAlert, legend: '{{alertname}}', instant: true, table: true }],
          }),
          cell(12, 8, timeseries, {
            title: 'Sessions down',
            description: 'BGP and BFD sessions that are configured but not established, over every node and peer.',
            unit: 'short',
            steps: zeroIsGoodSteps,
            min: 0,
            targets: (['BGP', 'BFD'] as const).flatMap((kind) => {
              const counts = queries.sessions[kind];
              return counts === undefined ? [] : [{ expr: counts.down, legend: kind }];
            }),
          }),
        ],
      },
    ],
  });
}
