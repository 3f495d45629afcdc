import type { Component } from '../../mixin/catalogue.js';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { matcherAccepts, selectorsOf, type LabelMatcher } from '../../mixin/promql/inspect.js';

/** Whether a series with these labels matches the matchers, as Prometheus decides. */
export function matches(matchers: readonly LabelMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => matcherAccepts(m, labels[m.label] ?? ''));
}

/** The matchers of a component's configured selector. */
export const selectorMatchers = (cfg: MixinConfig, component: Component): readonly LabelMatcher[] =>
  selectorsOf(`{${cfg.selectors[component]}}`)[0]?.matchers ?? [];
