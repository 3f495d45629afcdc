import { stringify } from 'yaml';

/**
 * YAML the same way everywhere: no line folding (long PromQL stays on its lines), multi-line
 * strings as literal blocks, no document markers (jsonnet's parseYaml trips on `---`).
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, blockQuote: 'literal', indent: 2, aliasDuplicateObjects: false });
}

/** JSON with a trailing newline, two-space indented. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
