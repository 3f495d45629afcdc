import { defaultConfig } from '../../mixin/config/load.js';
import type { MixinConfig } from '../../mixin/config/schema.js';
import { lintMixin } from '../../mixin/lint/index.js';
import type { LintFinding } from '../../mixin/lint/findings.js';
import type { AlertRule, DashboardJson, Mixin, RecordingRule } from '../../mixin/types.js';

export const cfg: MixinConfig = defaultConfig();
/** Component selectors of the default config, to write expressions that pass the selector rule. */
export const sel = cfg.selectors;
/** A dashboard selector body: the speaker's matchers and the cluster variable. */
export const dsel = `${sel.speaker}, cluster="$cluster"`;

export function alert(expr: string, extra: Partial<AlertRule> = {}): AlertRule {
  return {
    alert: 'MetalLBTestAlert',
    expr,
    for: '5m',
    labels: { severity: 'warning' },
    annotations: { summary: 'Something is off.', description: 'Pool {{ $labels.pool }} is off.' },
    ...extra,
  };
}

export interface PanelSpec {
  readonly title?: string;
  readonly exprs: readonly string[];
  readonly type?: string;
  readonly extra?: Record<string, unknown>;
}

export interface VariableSpec {
  readonly name: string;
  readonly query?: string | { query: string };
  readonly type?: string;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly extra?: Record<string, unknown>;
}

const datasource = { type: 'prometheus', uid: '${datasource}' };

export function panel(spec: PanelSpec): Record<string, unknown> {
  return {
    type: spec.type ?? 'timeseries',
    title: spec.title ?? 'Test panel',
    description: 'What it shows.',
    datasource,
    targets: spec.exprs.map((expr, i) => ({ datasource, expr, refId: String.fromCharCode(65 + i) })),
    ...spec.extra,
  };
}

export function variable(spec: VariableSpec): Record<string, unknown> {
  return {
    name: spec.name,
    type: spec.type ?? 'query',
    datasource,
    refresh: 2,
    multi: spec.multi ?? false,
    includeAll: spec.includeAll ?? false,
    ...(spec.query === undefined ? {} : { query: spec.query }),
    ...spec.extra,
  };
}

/** A dashboard with the usual cluster variable plus the given panels (rows may nest panels). */
export function dashboard(panels: readonly Record<string, unknown>[], variables: readonly Record<string, unknown>[] = []): DashboardJson {
  return {
    title: 'MetalLB / Test',
    uid: 'metallb-test',
    panels,
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus' },
        variable({ name: 'cluster', query: { query: `label_values(up{${sel.speaker}}, cluster)` } }),
        ...variables,
      ],
    },
  };
}

export function mixinOf(parts: { alerts?: AlertRule[]; records?: RecordingRule[]; dashboards?: Record<string, DashboardJson> }): Mixin {
  return {
    prometheusAlerts: { groups: parts.alerts ? [{ name: 'metallb-test', rules: parts.alerts }] : [] },
    prometheusRules: { groups: parts.records ? [{ name: 'metallb-test-rules', rules: parts.records }] : [] },
    grafanaDashboards: parts.dashboards ?? {},
  };
}

/** Findings of one rule id only, so each test is about one rule. */
export function findingsOf(mixin: Mixin, rule: string, config: MixinConfig = cfg): LintFinding[] {
  return lintMixin(mixin, config).filter((f) => f.rule === rule);
}

/** Lint `expr` as an alert's expression, keeping one rule's findings. */
export function alertFindings(expr: string, rule: string, extra: Partial<AlertRule> = {}): LintFinding[] {
  return findingsOf(mixinOf({ alerts: [alert(expr, extra)] }), rule);
}

/** Lint `exprs` as one dashboard panel's targets, keeping one rule's findings. */
export function panelFindings(exprs: readonly string[], rule: string, variables: readonly Record<string, unknown>[] = []): LintFinding[] {
  return findingsOf(mixinOf({ dashboards: { 'metallb-test.json': dashboard([panel({ exprs })], variables) } }), rule);
}
