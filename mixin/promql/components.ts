import type { Component } from '../catalogue.js';
import type { MixinConfig } from '../config/schema.js';
import { selectorsOf, type LabelMatcher } from './inspect.js';

/** The matchers of each `cfg.selectors[component]`, parsed. */
export type ComponentMatchers = Readonly<Record<Component, readonly LabelMatcher[]>>;

export function sameMatcher(a: LabelMatcher, b: LabelMatcher): boolean {
  return a.label === b.label && a.op === b.op && a.value === b.value;
}

/** Whether `matchers` contains every one of `required`. */
export function hasMatchers(matchers: readonly LabelMatcher[], required: readonly LabelMatcher[]): boolean {
  return required.every((r) => matchers.some((m) => sameMatcher(m, r)));
}

// A config is immutable once resolved; its selectors are parsed once however often they are asked for.
const parsed = new WeakMap<MixinConfig, ComponentMatchers>();

export function componentMatchers(cfg: MixinConfig): ComponentMatchers {
  let matchers = parsed.get(cfg);
  if (!matchers) {
    matchers = Object.fromEntries(
      Object.entries(cfg.selectors).map(([component, text]) => [component, selectorsOf(`up{${text}}`)[0]?.matchers ?? []]),
    ) as Record<Component, LabelMatcher[]>;
    parsed.set(cfg, matchers);
  }
  return matchers;
}

/** A component and the matchers of its configured selector. */
export interface OwningComponent {
  readonly component: Component;
  readonly own: readonly LabelMatcher[];
}

/** The component whose configured selector this selector contains (the most specific one). */
export function componentOf(matchers: readonly LabelMatcher[], cfg: MixinConfig): OwningComponent | undefined {
  let best: OwningComponent | undefined;
  for (const [component, own] of Object.entries(componentMatchers(cfg)) as [Component, readonly LabelMatcher[]][]) {
    if (own.length === 0 || !hasMatchers(matchers, own)) continue;
    if (!best || own.length > best.own.length) best = { component, own };
  }
  return best;
}
