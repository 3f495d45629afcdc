import type { AlertRule, Mixin, RecordingRule, RuleGroup } from '../../types.js';
import type { MixinRule } from '../context.js';
import type { LintFinding } from '../findings.js';
import { alertsFile, rulesFile } from '../targets.js';

// mixtool's limits (pkg/mixer/lint.go) and the monitoring-mixins alert style guide.
const maxGroupRules = 20;
const maxNameLength = 40;
const camelCase = /^([A-Z]+[a-z0-9]+)+$/;
const severities = new Set(['critical', 'warning', 'info']);
const summaryStyle = /^[A-Z].+\.$/;
const template = /\{\{/;
/** `level:metric:operations`, as the Prometheus naming guide and kube-prometheus name records. */
const recordName = /^[a-z_][a-z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-z0-9_]+$/;

function groupFindings<R>(file: string, groups: readonly RuleGroup<R>[], countRules: boolean): LintFinding[] {
  const out: LintFinding[] = [];
  for (const g of groups) {
    const where = `group ${g.name}`;
    if (countRules && g.rules.length > maxGroupRules) {
      out.push({
        file,
        where,
        rule: 'group-rule-count',
        message: `${g.rules.length} rules; mixtool allows at most ${maxGroupRules} per group`,
      });
    }
    if (g.name.length > maxNameLength) {
      out.push({
        file,
        where,
        rule: 'group-name-length',
        message: `group name is ${g.name.length} characters; mixtool allows at most ${maxNameLength}`,
      });
    }
  }
  return out;
}

function alertFindings(a: AlertRule): LintFinding[] {
  const out: LintFinding[] = [];
  const add = (rule: string, message: string) => out.push({ file: alertsFile, where: `alert ${a.alert}`, rule, message });
  if (!camelCase.test(a.alert))
    add('alert-name-camelcase', 'alert names are CamelCase and do not end in an acronym (^([A-Z]+[a-z0-9]+)+$)');
  if (a.alert.length > maxNameLength) add('alert-name-length', `alert name is ${a.alert.length} characters; at most ${maxNameLength}`);
  const severity = a.labels['severity'];
  if (severity === undefined || !severities.has(severity))
    add('alert-severity', `severity "${severity ?? ''}" is not one of critical, warning, info`);
  const { summary, description } = a.annotations;
  if (!summary) add('alert-summary-missing', 'the summary annotation is required');
  else {
    if (template.test(summary))
      add('alert-summary-templating', 'the summary must be static (no {{ }}): it is shared by every alert of a group notification');
    if (!summaryStyle.test(summary))
      add('alert-summary-style', `summary "${summary}" must start with a capital letter and end with a period`);
  }
  if (!description) add('alert-description-missing', 'the description annotation is required');
  else if (!template.test(description))
    add('alert-description-templating', 'the description must name the affected object with {{ $labels.x }} or {{ $value }}');
  return out;
}

function recordFindings(r: RecordingRule): LintFinding[] {
  if (recordName.test(r.record)) return [];
  return [
    { file: rulesFile, where: `record ${r.record}`, rule: 'record-name', message: 'recording rules are named level:metric:operations' },
  ];
}

/** mixtool's rule-file lint, plus the recording-rule naming convention. */
export const conventionsRule: MixinRule = {
  ids: [
    'group-rule-count',
    'group-name-length',
    'alert-name-camelcase',
    'alert-name-length',
    'alert-severity',
    'alert-summary-missing',
    'alert-summary-templating',
    'alert-summary-style',
    'alert-description-missing',
    'alert-description-templating',
    'record-name',
  ],
  check(mixin: Mixin) {
    return [
      ...groupFindings(alertsFile, mixin.prometheusAlerts.groups, true),
      ...groupFindings(rulesFile, mixin.prometheusRules.groups, false),
      ...mixin.prometheusAlerts.groups.flatMap((g) => g.rules.flatMap(alertFindings)),
      ...mixin.prometheusRules.groups.flatMap((g) => g.rules.flatMap(recordFindings)),
    ];
  },
};
