import type { Timeline } from '../../test/sim/timeline.js';

/**
 * 70 minutes scraped every 30 s (the interval of MetalLB's own ServiceMonitors), from
 * 2024-01-15 00:05 UTC. A fixed date keeps runs comparable, and the whole window lies inside one
 * two-hour TSDB block, so promtool reads the input once for one block. Dashboards look at the last
 * hour; the 10 minutes before it feed the range functions at the start of that hour.
 */
export const benchTimeline: Timeline = { start: 1_705_277_100, step: 30, ticks: 141 };

export const endTime = (tl: Timeline): number => tl.start + (tl.ticks - 1) * tl.step;
