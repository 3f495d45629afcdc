import type { Component } from '../../mixin/catalogue.js';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { selectorsOf, type LabelMatcher } from '../../mixin/promql/inspect.js';

/** Whether a series with these labels matches the matchers, as Prometheus decides (regexes anchored). */
export function matches(matchers: readonly LabelMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => {
    const v = labels[m.label] ?? '';
    switch (m.op) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return new RegExp(`^(?:${m.value})$`).test(v);
      case '!~':
        return !new RegExp(`^(?:${m.value})$`).test(v);
    }
  });
}

/** The matchers of a component's configured selector. */
export const selectorMatchers = (cfg: MixinConfig, component: Component): readonly LabelMatcher[] => selectorsOf(`{${cfg.selectors[component]}}`)[0]?.matchers ?? [];
