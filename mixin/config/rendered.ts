import type { SyntaxNode } from '@lezer/common';
import { alertGroups } from '../../alerts/index.js';
import { dashboardSet } from '../../dashboards/index.js';
import { recordingGroups } from '../../rules/index.js';
import { analyseLabels, type LabelSet } from '../lint/labels.js';
import { alertsWithSeveralSeverities } from '../passes/alerts.js';
import { dashboardUid } from '../passes/dashboards.js';
import { functionName, stringLiteralValue } from '../promql/inspect.js';
import { parsePromQL } from '../promql/parse.js';
import type { ConfigIssue } from './errors.js';
import type { MixinConfig } from './schema.js';

/**
 * Checks of a config against what it renders: labels the rules already give a meaning to, severity
 * overrides of alerts that fire at two severities, dashboard uids. They run after the schema and
 * semantics checks passed, on the rules this config produces, so they follow the rules as they change.
 */

/** Labels Prometheus or the mixin set on every alert, whatever the expression. */
const alertMetaLabels: Readonly<Record<string, string>> = {
  alertname: 'set by Prometheus to the alert name',
  alertstate: 'set by Prometheus on the ALERTS series',
  __name__: 'the metric name, reserved by Prometheus',
  severity: 'set by each alert (change it with alerts.<name>.severity)',
};

/** Label name → the rules (alert or record names) that carry or use it. */
type LabelUses = Map<string, Set<string>>;

const use = (uses: LabelUses, label: string, where: string) => uses.set(label, (uses.get(label) ?? new Set()).add(where));

/** Every label an expression names: matchers, `by`/`without`, `on`/`ignoring`, label_replace/label_join targets. */
function labelsNamedIn(expr: string): string[] {
  const { tree } = parsePromQL(expr);
  const names: string[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name === 'LabelName') names.push(expr.slice(ref.from, ref.to));
      if (ref.name === 'FunctionCall' && ['label_replace', 'label_join'].includes(functionName(expr, ref.node))) {
        const target = stringArgument(expr, ref.node, 1);
        if (target !== undefined) names.push(target);
      }
    },
  });
  return names;
}

function stringArgument(expr: string, call: SyntaxNode, index: number): string | undefined {
  const body = call.getChild('FunctionCallBody');
  const literals: SyntaxNode[] = [];
  for (let c = body?.firstChild; c; c = c.nextSibling) if (c.name !== '(' && c.name !== ')' && c.name !== ',') literals.push(c);
  const arg = literals[index];
  return arg?.name === 'StringLiteral' ? stringLiteralValue(expr.slice(arg.from, arg.to)) : undefined;
}

/** Labels a template reads: `$labels.pool`, `.Labels.pool`, `index $labels "pool"`. */
function labelsReadBy(template: string): string[] {
  return [...template.matchAll(/(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)|index\s+(?:\$labels|\.Labels)\s+"([^"]+)"/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  );
}

interface RuleLabelUses {
  /** Labels the alerts name, can output, read in annotations, or set. */
  readonly alerts: LabelUses;
  /** Labels the recording rules name or add. */
  readonly records: LabelUses;
}

/** The cluster label the rules are rendered with here: one no rule uses, so every use found is another meaning. */
const probeClusterLabel = 'metallb_mixin_cluster_label_probe';

function collectLabelUses(cfg: MixinConfig): RuleLabelUses {
  const probed: MixinConfig = { ...cfg, clusterLabel: probeClusterLabel };
  const uses: RuleLabelUses = { alerts: new Map(), records: new Map() };
  const recorded = new Map<string, LabelSet>();
  for (const rule of recordingGroups(probed).flatMap((g) => g.rules)) {
    const { labels } = analyseLabels(parsePromQL(rule.expr), recorded);
    const extra = Object.keys(rule.labels ?? {});
    recorded.set(
      rule.record,
      labels.kind === 'vector'
        ? { kind: 'vector', min: new Set([...labels.min, ...extra]), max: labels.max && new Set([...labels.max, ...extra]) }
        : labels,
    );
    for (const label of [...labelsNamedIn(rule.expr), ...extra]) use(uses.records, label, rule.record);
  }
  for (const def of alertGroups(probed).flatMap((g) => g.alerts)) {
    const { labels } = analyseLabels(parsePromQL(def.expr), recorded);
    const output = labels.kind === 'vector' ? [...labels.min, ...(labels.max ?? [])] : [];
    const read = [...labelsReadBy(def.summary), ...labelsReadBy(def.description)];
    for (const label of [...output, ...labelsNamedIn(def.expr), ...read, ...Object.keys(def.labels ?? {})])
      use(uses.alerts, label, def.alert);
  }
  return uses;
}

// resolveConfig runs these checks on every load; configs that render the same rules share one analysis.
let cached: { key: string; uses: RuleLabelUses } | undefined;

/** The labels the rules of `cfg` carry or use, and where, the cluster label aside. */
function labelUses(cfg: MixinConfig): RuleLabelUses {
  const key = JSON.stringify({ ...cfg, clusterLabel: '', alertLabels: {}, dashboards: {}, outputs: {} });
  if (cached?.key !== key) cached = { key, uses: collectLabelUses(cfg) };
  return cached.uses;
}

const someOf = (where: ReadonlySet<string>): string => {
  const names = [...where].sort();
  return names.length > 2 ? `${names.slice(0, 2).join(', ')} and ${names.length - 2} more` : names.join(', ');
};

/** Alert labels that would overwrite a label of the alert's series or one Prometheus sets. */
function alertLabelIssues(cfg: MixinConfig): ConfigIssue[] {
  const keys = Object.keys(cfg.alertLabels);
  if (keys.length === 0) return [];
  const uses = labelUses(cfg).alerts;
  const issues: ConfigIssue[] = [];
  for (const key of keys) {
    const path = `alertLabels.${key}`;
    const meta = alertMetaLabels[key];
    const where = uses.get(key);
    if (meta) issues.push({ path, message: `"${key}" is ${meta}` });
    else if (key === cfg.clusterLabel)
      issues.push({ path, message: `"${key}" is the cluster label (clusterLabel): every alert carries its series' value` });
    else if (where) {
      issues.push({
        path,
        message: `"${key}" is a label the alerts carry or use (${someOf(where)}): a fixed value would overwrite it, and series that differ only in it would collide`,
      });
    }
  }
  return issues;
}

/** A cluster label that the rules already use for something else would merge or split what they compute. */
function clusterLabelIssues(cfg: MixinConfig): ConfigIssue[] {
  const label = cfg.clusterLabel;
  const meta = alertMetaLabels[label];
  if (meta) return [{ path: 'clusterLabel', message: `"${label}" is ${meta}` }];
  const { alerts, records } = labelUses(cfg);
  const where = new Set([...(alerts.get(label) ?? []), ...(records.get(label) ?? [])]);
  return where.size > 0
    ? [
        {
          path: 'clusterLabel',
          message: `"${label}" is a label the rules use for something else (${someOf(where)}); name the label that tells clusters apart`,
        },
      ]
    : [];
}

/** An override of an alert defined once per severity would make those rules identical. */
function severityIssues(cfg: MixinConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [alert, severities] of alertsWithSeveralSeverities(alertGroups(cfg))) {
    const settings = (cfg.alerts as Record<string, { severity?: string }>)[alert];
    if (settings?.severity !== undefined) {
      issues.push({
        path: `alerts.${alert}.severity`,
        message: `${alert} fires at ${severities.join(' and ')} (one rule per threshold); one severity would make the rules identical. Move or disable a threshold instead`,
      });
    }
  }
  return issues;
}

/** Uid overrides must name a dashboard, and no two dashboards may share a uid. */
function dashboardUidIssues(cfg: MixinConfig): ConfigIssue[] {
  const files = Object.keys(dashboardSet(cfg));
  const issues: ConfigIssue[] = [];
  for (const file of Object.keys(cfg.dashboards.uids)) {
    if (!files.includes(file))
      issues.push({ path: 'dashboards.uids', message: `no dashboard named ${file}; the dashboards are ${files.join(', ')}` });
  }
  const owner = new Map<string, string>();
  for (const file of files) {
    const uid = dashboardUid(cfg, file);
    const first = owner.get(uid);
    if (first === undefined) owner.set(uid, file);
    else {
      const path =
        file in cfg.dashboards.uids
          ? `dashboards.uids.${file}`
          : first in cfg.dashboards.uids
            ? `dashboards.uids.${first}`
            : 'dashboards.uidPrefix';
      issues.push({ path, message: `uid "${uid}" would be shared by ${first} and ${file}; Grafana keeps only one of them` });
    }
  }
  return issues;
}

/** Every problem of `cfg` that shows only in what it renders. Run on a config the schema and semantics accepted. */
export function checkRenderedConfig(cfg: MixinConfig): ConfigIssue[] {
  return [...clusterLabelIssues(cfg), ...alertLabelIssues(cfg), ...severityIssues(cfg), ...dashboardUidIssues(cfg)];
}

/** Every label the rules of `cfg` carry or use, the cluster label aside: mixin.libsonnet refuses these for its own checks. */
export function labelsTheRulesUse(cfg: MixinConfig): string[] {
  const { alerts, records } = labelUses(cfg);
  return [...new Set([...alerts.keys(), ...records.keys()])].filter((l) => l !== probeClusterLabel).sort();
}
