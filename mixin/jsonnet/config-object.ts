import type { MixinConfig } from '../config/schema.js';
import { substitutedFields, valueAt, wrapperFields } from './fields.js';

/**
 * The `_config` object of `out/mixin.libsonnet` for a config: every field jsonnet takes, flat
 * (kubernetes-mixin style) except `alerts`, which mirrors the TypeScript config. `metallb-mixin
 * config --jsonnet` prints it, and the build writes it as the defaults.
 */
export function jsonnetConfigObject(cfg: MixinConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of [...substitutedFields, ...wrapperFields]) {
    const value = valueAt(cfg, f.path) ?? null;
    const parts = f.name.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** jsonnet text of an object: JSON, but `for` (a keyword) quoted as a field name and `alerts` merged with `+:`. */
export function renderJsonnetObject(
  value: Record<string, unknown>,
  indent: string,
  merge: (path: string[]) => boolean,
  path: string[] = [],
): string {
  const inner = `${indent}  `;
  const lines = Object.entries(value).map(([k, v]) => {
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && k !== 'for' ? k : JSON.stringify(k);
    const here = [...path, k];
    const isObject = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;
    const body = isObject ? renderJsonnetObject(v as Record<string, unknown>, inner, merge, here) : JSON.stringify(v);
    return `${inner}${key}${isObject && merge(here) ? '+:' : ':'} ${body},`;
  });
  return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n${indent}}`;
}

/** `_config+:: { ... }` for a user's jsonnet: the same mixin as `build` with this config. */
export function renderConfigOverride(cfg: MixinConfig): string {
  const object = renderJsonnetObject(jsonnetConfigObject(cfg), '', (p) => p[0] === 'alerts');
  return `{\n  _config+:: ${object.replace(/\n/g, '\n  ')},\n}\n`;
}
