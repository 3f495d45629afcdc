import type { Component } from '../../mixin/catalogue.js';
import type { Query } from '../../mixin/promql/query.js';
import { allUpSteps, stat, type PanelBuilder } from './panels.js';
import { componentTitles } from './queries.js';

/** The share of one component's scrape targets that answered their last scrape: red below 100%. */
export function targetsUpStat(q: Query, component: Component): PanelBuilder {
  const title = componentTitles[component];
  const up = q.metric('up', component);
  return stat({
    title: `${title} targets up`,
    description: `Share of ${title} scrape targets whose last scrape succeeded; 100% when all are up.`,
    unit: 'percentunit',
    steps: allUpSteps,
    noValue: 'No targets',
    targets: [{ expr: `sum(${up}) / count(${up})`, legend: 'Up', instant: true }],
  });
}
