import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedOut } from './helpers/cli.js';

function jsonnet(code: string): unknown {
  const run = spawnSync('jsonnet', ['-J', committedOut, '-e', code], { encoding: 'utf8' });
  expect(run.error, 'jsonnet must be installed (scripts/ensure-tools.sh)').toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

const readJson = (p: string): unknown => JSON.parse(readFileSync(join(committedOut, p), 'utf8'));
const readYaml = (p: string): unknown => parseYaml(readFileSync(join(committedOut, p), 'utf8'));

describe('mixin.libsonnet with Debian jsonnet', () => {
  it('exposes the hidden fields kube-prometheus looks for', () => {
    const fields = jsonnet(
      'local m = import "mixin.libsonnet"; [std.objectHasAll(m, f) for f in ["prometheusAlerts", "prometheusRules", "grafanaDashboards", "_config"]]',
    );
    expect(fields).toEqual([true, true, true, true]);
  });

  it('evaluates to the same alerts, rules and dashboards as the plain Prometheus and Grafana files', () => {
    expect(jsonnet('(import "mixin.libsonnet").prometheusAlerts')).toEqual(readYaml('prometheus_alerts.yaml'));
    expect(jsonnet('(import "mixin.libsonnet").prometheusRules')).toEqual(readYaml('prometheus_rules.yaml'));
    const dashboards = jsonnet('(import "mixin.libsonnet").grafanaDashboards') as Record<string, unknown>;
    for (const [file, dashboard] of Object.entries(dashboards)) {
      expect(dashboard).toEqual(readJson(`dashboards/${file}`));
    }
  });

  it('applies a _config override of runbooks, alert labels, and dashboard tags, refresh and timezone', () => {
    const code = `(import "mixin.libsonnet") + { _config+:: {
      runbookURLPattern: "https://runbooks.example.com/metallb/%s",
      alertLabels: { team: "network" },
      dashboardTags: ["network"], dashboardRefresh: "1m", dashboardTimezone: "browser",
    } }`;
    const alerts = jsonnet(`local m = ${code}; [r for g in m.prometheusAlerts.groups for r in g.rules]`) as {
      alert: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }[];
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) {
      expect(a.annotations['runbook_url']).toBe(`https://runbooks.example.com/metallb/${a.alert.toLowerCase()}`);
      expect(a.labels['team']).toBe('network');
      expect(a.labels['severity']).toMatch(/^(critical|warning|info)$/);
    }
    const dashboards = jsonnet(`local m = ${code}; m.grafanaDashboards`) as Record<
      string,
      { tags: string[]; refresh: string; timezone: string; links: { type: string; tags?: string[] }[] }
    >;
    for (const d of Object.values(dashboards)) {
      expect(d.tags).toEqual(['network']);
      expect(d.refresh).toBe('1m');
      expect(d.timezone).toBe('browser');
      for (const l of d.links.filter((l) => l.type === 'dashboards')) expect(l.tags).toEqual(['network']);
    }
  });
});
