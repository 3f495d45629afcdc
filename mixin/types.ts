import type { AlertName } from './config/schema.js';

export type Severity = 'critical' | 'warning' | 'info';

/** An alert as an alert module defines it: `for`, runbook and extra labels are added by passes. */
export interface AlertDefinition {
  readonly alert: AlertName;
  readonly expr: string;
  readonly severity: Severity;
  /** A static sentence ending in a period. */
  readonly summary: string;
  /** Templated with `$labels` and `$value`. */
  readonly description: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface RuleGroup<R> {
  name: string;
  interval?: string;
  rules: R[];
}

export interface AlertGroupDefinition {
  readonly name: string;
  readonly alerts: readonly AlertDefinition[];
}

export interface RuleFile<R> {
  groups: RuleGroup<R>[];
}

/** A finished dashboard, as JSON-ready data. */
export type DashboardJson = Record<string, unknown>;

/** Everything the mixin produces, before it is rendered to files. */
export interface Mixin {
  prometheusAlerts: RuleFile<AlertRule>;
  prometheusRules: RuleFile<RecordingRule>;
  /** File name (`metallb-overview.json`) → dashboard. */
  grafanaDashboards: Record<string, DashboardJson>;
}
