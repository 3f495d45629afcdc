import type { Component } from '../../mixin/catalogue.js';
import type { Query } from '../../mixin/promql/query.js';
import { allUpSteps, stat, type PanelBuilder } from './panels.js';
import { componentTitles } from './queries.js';

/** The share of one component's scrape targets that answered their last scrape. */
export function targetsUpShare(q: Query, component: Component): string {
  const up = q.metric('up', component);
  return `sum(${up}) / count(${up})`;
}

/** A stat of `targetsUpShare`: red below 100%. */
export function targetsUpStat(component: Component, share: string): PanelBuilder {
  const title = componentTitles[component];
  return stat({
    title: `${title} targets up`,
    description: `Share of ${title} scrape targets whose last scrape succeeded; 100% when all are up.`,
    unit: 'percentunit',
    steps: allUpSteps,
    noValue: 'No targets',
    targets: [{ expr: share, legend: 'Up', instant: true }],
  });
}
