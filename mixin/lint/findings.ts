/** One lint finding, located well enough to fix without searching. */
export interface LintFinding {
  /** The output file the expression ends up in, e.g. `prometheus_alerts.yaml` or `dashboards/metallb-overview.json`. */
  readonly file: string;
  /** The alert, recording rule, or `dashboard title / panel title` it belongs to. */
  readonly where: string;
  /** The lint rule's id, e.g. `promql-syntax`. */
  readonly rule: string;
  readonly message: string;
  /** The expression with the offending part marked. */
  readonly excerpt?: string;
}

export function formatFinding(f: LintFinding): string {
  const head = `${f.file}: ${f.where}: [${f.rule}] ${f.message}`;
  return f.excerpt ? `${head}\n${f.excerpt.replace(/^/gm, '    ')}` : head;
}
