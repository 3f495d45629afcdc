import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { buildDashboard } from '../common/dashboard.js';
import { cell } from '../common/layout.js';
import { barGauge, colouredCells, healthySteps, stat, table, timeseries, type Steps } from '../common/panels.js';
import { poolUsageSteps } from '../common/queries.js';
import { filterVariable } from '../common/variables.js';
import { addressPoolsQueries } from './queries.js';

/** Capacity and usage of every address pool, with the thresholds of the pool alerts. */
export function addressPoolsDashboard(cfg: MixinConfig): dashboard.Dashboard {
  const queries = addressPoolsQueries(cfg);
  const { pools, families } = queries;
  const usageSteps = poolUsageSteps(cfg);
  const headroomSteps: Steps = [
    [null, 'red'],
    [cfg.thresholds.poolFreeAddresses, 'green'],
  ];
  const thresholdsText = `Orange from ${cfg.thresholds.poolUsage.warning}%, red from ${cfg.thresholds.poolUsage.critical}%, as MetalLBAddressPoolUsageHigh.`;

  return buildDashboard(cfg, {
    title: 'Address pools',
    description: 'Capacity and usage of the MetalLB address pools, per pool and per IP family.',
    filters: [
      filterVariable({
        name: 'pool',
        label: 'Pool',
        description: 'IPAddressPools to show.',
        query: queries.variables.pool,
      }),
    ],
    sections: [
      {
        title: 'Usage',
        cells: [
          cell(6, 4, stat, {
            title: 'Addresses in use',
            description: 'LoadBalancer addresses assigned from the selected pools.',
            unit: 'short',
            steps: healthySteps,
            targets: [{ expr: queries.addressesInUse, legend: 'In use', instant: true }],
          }),
          cell(6, 4, stat, {
            title: 'Usable addresses',
            description: 'Addresses the selected pools can assign; pools with uncountable capacity (an IPv6 /64) are left out.',
            unit: 'short',
            steps: healthySteps,
            targets: [{ expr: queries.usableAddresses, legend: 'Usable', instant: true }],
          }),
          cell(6, 4, stat, {
            title: 'Fewest free addresses',
            description: `Free addresses of the selected pool closest to running out. Red below ${cfg.thresholds.poolFreeAddresses}, as MetalLBAddressPoolHeadroomLow.`,
            unit: 'short',
            steps: headroomSteps,
            targets: [{ expr: queries.fewestFree, legend: 'Free', instant: true }],
          }),
          cell(6, 4, stat, {
            title: 'Highest pool usage',
            description: `Usage of the fullest selected pool. ${thresholdsText}`,
            unit: 'percent',
            steps: usageSteps,
            targets: [{ expr: queries.highestUsage, legend: 'Usage', instant: true }],
          }),
          cell(14, 10, table, {
            title: 'Pools by usage',
            description: `Every selected pool, fullest first: addresses in use, usable and free, and usage. ${thresholdsText}`,
            unit: 'short',
            steps: usageSteps,
            columns: [
              ['pool', 'Pool'],
              ['Value #A', 'Usage'],
              ['Value #B', 'In use'],
              ['Value #C', 'Usable'],
              ['Value #D', 'Free'],
            ],
            sortBy: 'Usage',
            overrides: [['Usage', [{ id: 'unit', value: 'percent' }, colouredCells]]],
            targets: [
              { expr: pools.usagePercent, legend: '{{pool}}', instant: true, table: true },
              { expr: pools.inUse, legend: '{{pool}}', instant: true, table: true },
              { expr: pools.capacity, legend: '{{pool}}', instant: true, table: true },
              { expr: pools.free, legend: '{{pool}}', instant: true, table: true },
            ],
          }),
          cell(10, 10, barGauge, {
            title: 'Usage by pool',
            description: `The 30 fullest selected pools, in percent of their usable addresses. ${thresholdsText}`,
            unit: 'percent',
            min: 0,
            max: 100,
            steps: usageSteps,
            targets: [{ expr: queries.fullest(30), legend: '{{pool}}', instant: true }],
          }),
        ],
      },
      {
        title: 'Over time',
        cells: [
          cell(12, 8, timeseries, {
            title: 'Usage by pool',
            description: `Usage of the 20 fullest selected pools over time; the dashed lines are the alert thresholds. ${thresholdsText}`,
            unit: 'percent',
            min: 0,
            max: 100,
            steps: usageSteps,
            showThresholds: true,
            targets: [{ expr: queries.fullest(20), legend: '{{pool}}' }],
          }),
          cell(12, 8, timeseries, {
            title: 'Free addresses by pool',
            description: `Free addresses of the 20 selected pools with the fewest; the dashed line is the headroom alert threshold (${cfg.thresholds.poolFreeAddresses}).`,
            unit: 'short',
            min: 0,
            steps: headroomSteps,
            showThresholds: true,
            targets: [{ expr: queries.leastFree(20), legend: '{{pool}}' }],
          }),
          cell(12, 8, timeseries, {
            title: 'Addresses in use by pool',
            description: 'Assigned addresses of the 20 selected pools with the most.',
            unit: 'short',
            min: 0,
            targets: [{ expr: queries.mostInUse(20), legend: '{{pool}}' }],
          }),
          cell(12, 8, timeseries, {
            title: 'Usable addresses by pool',
            description: 'Capacity of the 20 largest selected pools; it changes when a pool is edited.',
            unit: 'short',
            min: 0,
            targets: [{ expr: queries.largest(20), legend: '{{pool}}' }],
          }),
        ],
      },
      {
        title: 'IPv4 and IPv6',
        cells: [
          cell(12, 8, timeseries, {
            title: 'IPv4 usage by pool',
            description: `IPv4 usage of the 20 fullest selected pools (MetalLB >= 0.14). Pools without IPv4 addresses report a capacity of 0 and are left out. ${thresholdsText}`,
            unit: 'percent',
            min: 0,
            max: 100,
            steps: usageSteps,
            showThresholds: true,
            targets: [{ expr: queries.fullestIpv4(20), legend: '{{pool}}' }],
          }),
          cell(12, 8, timeseries, {
            title: 'IPv6 usage by pool',
            description: `IPv6 usage of the 20 fullest selected pools (MetalLB >= 0.14). Pools without IPv6 addresses, and those too large to count (a /64), are left out. ${thresholdsText}`,
            unit: 'percent',
            min: 0,
            max: 100,
            steps: usageSteps,
            showThresholds: true,
            targets: [{ expr: queries.fullestIpv6(20), legend: '{{pool}}' }],
          }),
          cell(24, 8, table, {
            title: 'Addresses per IP family',
            description: `Addresses in use, usable and free, and usage, per selected pool and IP family (MetalLB >= 0.14; older versions report one family, all). Capacities too large to count (a /64) are left blank. ${thresholdsText}`,
            unit: 'short',
            steps: usageSteps,
            columns: [
              ['pool', 'Pool'],
              ['family', 'Family'],
              ['Value #A', 'Usage'],
              ['Value #B', 'In use'],
              ['Value #C', 'Usable'],
              ['Value #D', 'Free'],
            ],
            sortBy: 'Usage',
            overrides: [['Usage', [{ id: 'unit', value: 'percent' }, colouredCells]]],
            targets: [
              { expr: families.usagePercent, legend: '{{pool}} {{family}}', instant: true, table: true },
              { expr: families.inUse, legend: '{{pool}} {{family}}', instant: true, table: true },
              { expr: families.capacity, legend: '{{pool}} {{family}}', instant: true, table: true },
              { expr: families.free, legend: '{{pool}} {{family}}', instant: true, table: true },
            ],
          }),
        ],
      },
    ],
  });
}
