import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markSpan } from '../promql/parse.js';
import { checkRules } from './promtool.js';
import type { Mixin } from '../types.js';
import type { LintFinding } from './findings.js';
import { alertsFile, collectTargets, isDashboardTarget, rulesFile, type LintTarget } from './targets.js';

/** The file promtool sees the dashboard queries in; it never reaches out/. */
const dashboardQueriesFile = 'dashboard_queries.yaml';

interface Located {
  readonly file: string;
  readonly where: string;
  /** The text promtool checked, the text to mark its position in, and the mapping between them. */
  readonly checked: string;
  readonly source: string;
  toSource(offset: number): number;
}

/**
 * The dashboard queries, after variable expansion, as one recording rule each (one group per
 * dashboard), so the real Prometheus parser and type checker see every query Grafana will send.
 */
export function dashboardRuleFile(targets: readonly LintTarget[]): { content: string; byRecord: Map<string, LintTarget> } {
  const byRecord = new Map<string, LintTarget>();
  const groups = new Map<string, { record: string; expr: string }[]>();
  for (const t of targets.filter(isDashboardTarget)) {
    const record = `dashboard_query:target_${byRecord.size + 1}`;
    byRecord.set(record, t);
    const rules = groups.get(t.file) ?? [];
    rules.push({ record, expr: t.parsed.expr });
    groups.set(t.file, rules);
  }
  return { content: asRuleFile({ groups: [...groups].map(([name, rules]) => ({ name, rules })) }), byRecord };
}

/**
 * A rule file for promtool's eyes only, as JSON (which is YAML): it is never read by a person, and
 * writing it costs a fraction of the YAML emitter's time.
 */
const asRuleFile = (content: unknown): string => JSON.stringify(content);

// e.g. `/tmp/x/prometheus_alerts.yaml: 7:11: group "metallb-bgp", rule 2, "MetalLBBGPSessionDown": could not parse expression: 1:14: parse error: ...`
const errorLine = /^(.*?): (?:\d+:\d+: )?group "(.*)", rule (\d+), "(.*?)": (.*)$/;
const exprPosition = /could not parse expression: (\d+):(\d+): /;

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

function locate(
  mixin: Mixin,
  byRecord: ReadonlyMap<string, LintTarget>,
  file: string,
  group: string,
  index: number,
  name: string,
): Located | undefined {
  const identity = (o: number) => o;
  if (file.endsWith(dashboardQueriesFile)) {
    const t = byRecord.get(name);
    return t && { file: t.file, where: t.where, checked: t.parsed.expr, source: t.source, toSource: t.toSource };
  }
  if (file.endsWith(alertsFile)) {
    const rule = mixin.prometheusAlerts.groups.find((g) => g.name === group)?.rules[index - 1];
    return rule && { file: alertsFile, where: `alert ${rule.alert}`, checked: rule.expr, source: rule.expr, toSource: identity };
  }
  const rule = mixin.prometheusRules.groups.find((g) => g.name === group)?.rules[index - 1];
  return rule && { file: rulesFile, where: `record ${rule.record}`, checked: rule.expr, source: rule.expr, toSource: identity };
}

/** promtool's complaints, each turned into a finding at the expression it is about. */
function parsePromtoolOutput(output: string, mixin: Mixin, byRecord: ReadonlyMap<string, LintTarget>): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const line of output.split('\n')) {
    const m = errorLine.exec(line.trim());
    if (!m) continue;
    const [, file = '', group = '', index = '0', name = '', message = ''] = m;
    const at = locate(mixin, byRecord, file, group, Number(index), name);
    if (!at) continue;
    const pos = exprPosition.exec(message);
    const offset = pos ? at.toSource(offsetOf(at.checked, Number(pos[1]), Number(pos[2]))) : 0;
    findings.push({
      file: at.file,
      where: at.where,
      rule: 'promtool',
      message,
      excerpt: markSpan(at.source, offset, pos ? offset + 1 : at.source.length),
    });
  }
  return findings;
}

/**
 * `promtool check rules` on both rule files and on the dashboard queries. The rule files are
 * rendered here rather than taken from out/, so they are checked whichever output formats the
 * config selects. Output promtool gives that we cannot place is reported as it is; undefined when
 * promtool is not installed.
 */
export async function promtoolFindings(
  mixin: Mixin,
  promtool: string,
  targets: readonly LintTarget[] = collectTargets(mixin),
): Promise<LintFinding[] | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'metallb-mixin-promtool-'));
  try {
    const paths: string[] = [];
    for (const [name, content] of [
      [alertsFile, mixin.prometheusAlerts],
      [rulesFile, mixin.prometheusRules],
    ] as const) {
      writeFileSync(join(dir, name), asRuleFile(content));
      paths.push(join(dir, name));
    }
    const { content, byRecord } = dashboardRuleFile(targets);
    if (byRecord.size > 0) {
      writeFileSync(join(dir, dashboardQueriesFile), content);
      paths.push(join(dir, dashboardQueriesFile));
    }
    const run = await checkRules(paths, promtool);
    if (run.missing) return undefined;
    if (run.ok) return [];
    const findings = parsePromtoolOutput(run.output, mixin, byRecord);
    return findings.length > 0
      ? findings
      : [{ file: 'promtool', where: 'promtool check rules', rule: 'promtool', message: run.output.replaceAll(dir, '.').trim() }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
