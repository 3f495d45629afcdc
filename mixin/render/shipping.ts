import type { MixinConfig } from '../config/schema.js';
import type { Mixin } from '../types.js';
import { renderAlertmanagerExample, renderInhibitRules } from './alertmanager.js';
import { dashboardConfigMap, dashboardStem, grafanaDashboard, prometheusRule, type Manifest } from './kubernetes.js';
import { monitorManifests } from './monitors.js';
import { generatedHeader as header, toYaml } from './yaml.js';

/** Several objects in one file, as `kubectl apply -f` reads them. */
const manifestsYaml = (objects: readonly Manifest[]): string => header + objects.map((o) => toYaml(o)).join('---\n');

/**
 * The files each consumer other than plain Prometheus and jsonnet applies, for the formats the
 * config selects. `dashboardJson` is the exact text of each `dashboards/<file>`.
 */
export function shippingFiles(mixin: Mixin, cfg: MixinConfig, dashboardJson: ReadonlyMap<string, string>): Map<string, string> {
  const formats = new Set(cfg.outputs.formats);
  const files = new Map<string, string>();
  if (formats.has('prometheus-operator')) {
    files.set('kubernetes/prometheus-rule.yaml', manifestsYaml([prometheusRule(mixin, cfg)]));
    for (const [file, json] of dashboardJson) {
      files.set(`kubernetes/dashboards/${dashboardStem(file)}.yaml`, manifestsYaml([dashboardConfigMap(file, json, cfg)]));
    }
  }
  if (formats.has('grafana-operator')) {
    for (const [file, json] of dashboardJson) {
      files.set(`kubernetes/grafana-operator/${dashboardStem(file)}.yaml`, manifestsYaml([grafanaDashboard(file, json, cfg)]));
    }
  }
  if (formats.has('monitors')) {
    for (const [path, objects] of monitorManifests(cfg)) files.set(path, manifestsYaml(objects));
  }
  if (formats.has('alertmanager')) {
    files.set('alertmanager/inhibit-rules.yaml', header + renderInhibitRules(mixin, cfg));
    files.set('alertmanager/alertmanager-example.yaml', header + renderAlertmanagerExample(mixin, cfg));
  }
  return files;
}
