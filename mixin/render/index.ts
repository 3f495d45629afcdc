import type { MixinConfig } from '../config/schema.js';
import type { Mixin } from '../types.js';
import { shippingFiles } from './shipping.js';
import { jsonnetFiles } from './jsonnet.js';
import { renderTests } from './tests.js';
import { generatedHeader as header, toJson, toYaml } from './yaml.js';

/**
 * Every file of out/, by path relative to it. Pure: the same mixin and config give the same
 * bytes, which is what makes `metallb-mixin check` and the committed out/ meaningful.
 */
export function renderOutputs(mixin: Mixin, cfg: MixinConfig): Map<string, string> {
  const formats = new Set(cfg.outputs.formats);
  const files = new Map<string, string>();
  const dashboardJson = new Map(Object.entries(mixin.grafanaDashboards).map(([file, d]) => [file, toJson(d)]));
  if (formats.has('prometheus')) {
    files.set('prometheus_alerts.yaml', header + toYaml(mixin.prometheusAlerts));
    files.set('prometheus_rules.yaml', header + toYaml(mixin.prometheusRules));
  }
  // Without `prometheus` the tests read rule files the user puts beside them (rendered by jsonnet).
  if (formats.has('tests')) for (const [path, content] of renderTests(mixin, cfg)) files.set(path, content);
  if (formats.has('dashboards')) {
    for (const [file, json] of dashboardJson) files.set(`dashboards/${file}`, json);
  }
  if (formats.has('jsonnet')) {
    for (const [path, content] of jsonnetFiles(cfg)) files.set(path, content);
  }
  for (const [path, content] of shippingFiles(mixin, cfg, dashboardJson)) files.set(path, content);
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
