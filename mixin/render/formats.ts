/**
 * The outputs a build can write, each with the files it produces. The config schema, the CLI's
 * `--format` option and its help, and the renderer all read this one table.
 */
export const outputFormats = [
  { name: 'prometheus', files: 'prometheus_alerts.yaml, prometheus_rules.yaml (plain Prometheus rule files)' },
  { name: 'dashboards', files: 'dashboards/*.json (Grafana dashboards)' },
  {
    name: 'jsonnet',
    files: 'mixin.libsonnet, jsonnetfile.json, jsonnet/**/*.libsonnet (kube-prometheus addMixin, mixtool; configured with _config+::)',
  },
  {
    name: 'prometheus-operator',
    files: 'kubernetes/prometheus-rule.yaml, kubernetes/dashboards/*.yaml (PrometheusRule, Grafana sidecar ConfigMaps)',
  },
  { name: 'monitors', files: 'kubernetes/monitors/*.yaml (ServiceMonitor examples for MetalLB >= 0.16, <= 0.15 and frr-k8s)' },
  { name: 'alertmanager', files: 'alertmanager/inhibit-rules.yaml, alertmanager/alertmanager-example.yaml' },
  {
    name: 'tests',
    files:
      'tests/*.yaml (promtool unit tests for this config, reading ../prometheus_alerts.yaml and ../prometheus_rules.yaml: promtool test rules tests/*.yaml)',
  },
  { name: 'grafana-operator', files: 'kubernetes/grafana-operator/*.yaml (GrafanaDashboard v1beta1)' },
] as const;

export type OutputFormat = (typeof outputFormats)[number]['name'];

export const formatNames: readonly OutputFormat[] = outputFormats.map((f) => f.name);

/** Everything but the grafana-operator resources, which only grafana-operator users want. */
export const defaultFormats: readonly OutputFormat[] = formatNames.filter((f) => f !== 'grafana-operator');
