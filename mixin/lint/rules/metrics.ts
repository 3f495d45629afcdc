import { lookupMetric } from '../../catalogue.js';
import { vectorSelectors } from '../../promql/inspect.js';
import type { ExprRule } from '../context.js';
import { findingAt } from '../targets.js';

/** A typo in a metric name gives an empty result, never an error: only the catalogue catches it. */
export const metricsRule: ExprRule = {
  ids: ['metric-unknown'],
  check(t, ctx) {
    return vectorSelectors(t.parsed).flatMap((sel) => {
      if (sel.metric === undefined) {
        return [
          findingAt(
            t,
            'metric-unknown',
            'selector without a metric name: name the metric so the catalogue can vouch for it',
            sel.from,
            sel.to,
          ),
        ];
      }
      if (lookupMetric(sel.metric) || ctx.recorded.has(sel.metric)) return [];
      return [
        findingAt(
          t,
          'metric-unknown',
          `${sel.metric} is neither in the metric catalogue (mixin/catalogue.ts) nor a recording rule of the mixin`,
          sel.from,
          sel.from + sel.metric.length,
        ),
      ];
    });
  },
};
