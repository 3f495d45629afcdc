import type { MixinConfig } from '../config/schema.js';
import type { Mixin } from '../types.js';

/** A Kubernetes object as plain data, ready for YAML. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
} & Record<string, unknown>;

/** A label or annotation map, or nothing when it is empty so no `{}` is rendered. */
export const nonEmpty = (m: Record<string, string>): Record<string, string> | undefined =>
  Object.keys(m).length > 0 ? { ...m } : undefined;

/** `metallb-overview.json` → `metallb-overview`: file stems are lowercase kebab-case, so valid in names. */
export const dashboardStem = (file: string): string => file.replace(/\.json$/, '');

/** The name kube-prometheus's Grafana gives a dashboard ConfigMap, so both ways of shipping agree. */
const dashboardConfigMapName = (file: string): string => `grafana-dashboard-${dashboardStem(file)}`;

/** One PrometheusRule with the alert groups followed by the recording groups, as addMixin builds it. */
export function prometheusRule(mixin: Mixin, cfg: MixinConfig): Manifest {
  const { name, namespace, labels } = cfg.outputs.prometheusRule;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name, namespace, labels: { ...labels } },
    spec: { groups: [...mixin.prometheusAlerts.groups, ...mixin.prometheusRules.groups] },
  };
}

/**
 * A ConfigMap for the Grafana sidecar holding one dashboard. `json` is the exact text of
 * `dashboards/<file>`, so the sidecar loads byte for byte what the other consumers get.
 */
export function dashboardConfigMap(file: string, json: string, cfg: MixinConfig): Manifest {
  const { namespace, labels, annotations } = cfg.outputs.dashboardConfigMaps;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: dashboardConfigMapName(file), namespace, labels: { ...labels }, annotations: nonEmpty(annotations) },
    data: { [file]: json },
  };
}

/** A grafana-operator dashboard; the operator imports `spec.json` into every selected Grafana. */
export function grafanaDashboard(file: string, json: string, cfg: MixinConfig): Manifest {
  const { namespace, instanceSelector, folder, allowCrossNamespaceImport } = cfg.outputs.grafanaOperator;
  return {
    apiVersion: 'grafana.integreatly.org/v1beta1',
    kind: 'GrafanaDashboard',
    metadata: { name: dashboardStem(file), namespace },
    spec: {
      instanceSelector: { matchLabels: { ...instanceSelector } },
      folder,
      allowCrossNamespaceImport,
      json,
    },
  };
}
