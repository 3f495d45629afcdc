import type { MixinConfig } from '../config/schema.js';
import type { AlertGroupDefinition, AlertRule, RuleGroup, Severity } from '../types.js';

/**
 * The severities of each alert that is defined more than once, one rule per threshold
 * (MetalLBAddressPoolUsageHigh: warning and critical). A `severity` override would make those rules
 * identical, so the config refuses it for them.
 */
export function alertsWithSeveralSeverities(groups: readonly AlertGroupDefinition[]): Map<string, Severity[]> {
  const severities = new Map<string, Set<Severity>>();
  for (const def of groups.flatMap((g) => g.alerts)) severities.set(def.alert, (severities.get(def.alert) ?? new Set()).add(def.severity));
  return new Map([...severities].filter(([, s]) => s.size > 1).map(([alert, s]) => [alert, [...s]]));
}

/** The runbook anchor of an alert: the pattern with the lower-cased name, as GitHub anchors headings. */
export function runbookURL(cfg: MixinConfig, alert: string): string {
  return cfg.runbookURLPattern.replace('%s', alert.toLowerCase());
}

/**
 * One pass over every alert for what is the same everywhere: per-alert settings from the config
 * (enabled, `for`, severity), the user's extra labels, and the runbook link. Alert modules state
 * only what is particular to each alert.
 */
export function applyAlertSettings(groups: readonly AlertGroupDefinition[], cfg: MixinConfig): RuleGroup<AlertRule>[] {
  const out: RuleGroup<AlertRule>[] = [];
  for (const group of groups) {
    const rules: AlertRule[] = [];
    for (const def of group.alerts) {
      const settings = cfg.alerts[def.alert];
      if (!settings.enabled) continue;
      rules.push({
        alert: def.alert,
        expr: def.expr,
        for: settings.for,
        labels: { ...def.labels, ...cfg.alertLabels, severity: settings.severity ?? def.severity },
        annotations: {
          summary: def.summary,
          description: def.description,
          runbook_url: runbookURL(cfg, def.alert),
        },
      });
    }
    if (rules.length > 0) out.push({ name: group.name, rules });
  }
  return out;
}
