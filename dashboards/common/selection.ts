import type { Query } from '../../mixin/promql/query.js';
import { oneLine } from './queries.js';

/**
 * How the dashboards keep a panel small: rank series once over the whole time range (stable
 * top-k), and read per-pod or per-session series only once a variable narrows the selection.
 */

/** A selector over the dashboard's whole time range, pinned to its end: a function of it runs once, not at every step. */
export const overRange = (selector: string): string => `${selector}[$__range] @ end()`;

/**
 * `shown`, kept to the series (matched `on` these labels) that `ranked` keeps, a `topk` or
 * `bottomk`. With a ranking over `overRange`, a range query returns at most k series and a line
 * does not come and go from step to step.
 */
export const keepRanked = (shown: string, on: string, ranked: string): string => `${shown}\nand on (${on})\n${ranked}`;

/**
 * The k series of a selector with the highest (`topk`: their peak) or lowest (`bottomk`: their
 * trough) value anywhere in the range, for the whole range. `shown` is what is drawn of them when
 * it is not the selector itself (e.g. a sum of it without the per-cluster 0).
 */
export const stableTopk = (k: number, selector: string, on: string, pick: 'topk' | 'bottomk' = 'topk', shown = selector): string =>
  keepRanked(shown, on, `${pick}(${k}, ${pick === 'topk' ? 'max' : 'min'}_over_time(${overRange(selector)}))`);

/**
 * A matcher on a label no stored series has (Prometheus drops `__`-prefixed labels), so it reads
 * nothing while the multi-value variable is "All" (`.*`, which matches the empty value) and
 * everything once values are chosen: panels read per-pod or per-session series only then.
 */
export const chosen = (variable: string): string => `__${variable}_chosen__!~"\${${variable}}"`;

/** The addresses the speakers are scraped on (one per node), for the `host` variable. */
export const speakerAddresses = (q: Query): string => oneLine(`label_values(${q.metric('up', 'speaker')}, instance)`);
