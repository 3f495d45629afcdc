import type { Component } from '../catalogue.js';
import { renderConfigOverride } from '../jsonnet/config-object.js';
import { buildOnlyFields } from '../jsonnet/fields.js';
import { blindItems, byCause, rootCause, type BlindCause, type CheckResult, type Finding, type ItemResult } from './blind.js';
import { describeComponent, type Facts, type ScrapeGroup } from './discover.js';
import type { ItemKind } from './items.js';
import { printable } from './printable.js';
import type { DoctorResult } from './run.js';

const componentOrder: readonly Component[] = ['controller', 'speaker', 'frrMetrics', 'frrK8s'];

const causeTitles: Readonly<Record<BlindCause, string>> = {
  'job-selector': 'job selector',
  'bgp-mode': 'BGP mode / metric prefix',
  'cluster-label': 'cluster label',
  'not-scraped': 'not scraped',
  'targets-down': 'targets down',
};

export interface ScrapeSource {
  readonly job: string;
  readonly namespace: string;
  readonly container: string;
  readonly clusters: readonly string[];
}

/** One line per job/namespace/container, with the clusters it appears in. */
function sources(groups: readonly ScrapeGroup[]): ScrapeSource[] {
  const bySource = new Map<string, { job: string; namespace: string; container: string; clusters: Set<string> }>();
  for (const g of groups) {
    const key = `${g.job}\u0000${g.namespace}\u0000${g.container}`;
    const entry = bySource.get(key) ?? { job: g.job, namespace: g.namespace, container: g.container, clusters: new Set<string>() };
    if (g.cluster) entry.clusters.add(g.cluster);
    bySource.set(key, entry);
  }
  return [...bySource.values()].map((s) => ({ ...s, clusters: [...s.clusters].sort() }));
}

function componentSources(facts: Facts): { component: Component | 'unidentified'; sources: ScrapeSource[] }[] {
  const out: { component: Component | 'unidentified'; sources: ScrapeSource[] }[] = [];
  for (const component of componentOrder) {
    const groups = facts.groups.filter((g) => g.components.includes(component));
    if (groups.length > 0) out.push({ component, sources: sources(groups) });
  }
  const unknown = facts.groups.filter((g) => g.components.length === 0);
  if (unknown.length > 0) out.push({ component: 'unidentified', sources: sources(unknown) });
  return out;
}

function sourceText(s: ScrapeSource): string {
  const labels = [`job="${s.job}"`, s.namespace && `namespace="${s.namespace}"`, s.container && `container="${s.container}"`]
    .filter(Boolean)
    .join(' ');
  return s.clusters.length > 0 ? `${labels}  (${s.clusters.join(', ')})` : labels;
}

function countsLine(check: CheckResult): string {
  const c = check.counts;
  return `${c.live} live, ${c.blind} blind, ${c.na} not applicable${c.const > 0 ? `, ${c.const} constant` : ''}`;
}

const kindTitles: Readonly<Record<ItemKind, string>> = {
  alert: 'alerts',
  record: 'recording rules',
  panel: 'panels',
  variable: 'variables',
};

/** `alerts: A, B` for rules; dashboards counted per file for panels and variables, which come by the dozen. */
function itemSummary(items: readonly ItemResult[]): string[] {
  const lines: string[] = [];
  for (const kind of ['alert', 'record', 'panel', 'variable'] as const) {
    const ofKind = items.filter((i) => i.kind === kind);
    if (ofKind.length === 0) continue;
    const names = [...new Set(ofKind.map((i) => i.name))];
    if (kind === 'alert' || kind === 'record') {
      lines.push(`${kindTitles[kind]} (${names.length}): ${names.join(', ')}`);
    } else {
      const perFile = new Map<string, number>();
      for (const i of ofKind) perFile.set(i.name.split(' / ')[0] ?? '', (perFile.get(i.name.split(' / ')[0] ?? '') ?? 0) + 1);
      lines.push(`${kindTitles[kind]} (${ofKind.length}): ${[...perFile].map(([f, n]) => `${f} ${n}`).join(', ')}`);
    }
  }
  return lines;
}

function byDetail(items: readonly ItemResult[], keep: (f: Finding) => boolean): Map<string, ItemResult[]> {
  const groups = new Map<string, ItemResult[]>();
  for (const item of items) {
    for (const detail of new Set(item.findings.filter(keep).map((f) => rootCause(f.detail)))) {
      groups.set(detail, [...(groups.get(detail) ?? []), item]);
    }
  }
  return groups;
}

function renderBlind(check: CheckResult, lines: string[]): void {
  for (const [cause, items] of byCause(check)) {
    lines.push(`  Blind: ${causeTitles[cause]}, ${items.length} item(s)`);
    for (const [detail, affected] of byDetail(items, (f) => f.cause === cause)) {
      lines.push(`    ${detail}`, ...itemSummary(affected).map((l) => `      ${l}`));
    }
  }
}

function renderNotApplicable(check: CheckResult, lines: string[]): void {
  const na = check.items.filter((i) => i.state === 'na');
  if (na.length === 0) return;
  lines.push(`  Not applicable here, ${na.length} item(s)`);
  for (const [detail, affected] of byDetail(na, () => true)) lines.push(`    ${detail}`, ...itemSummary(affected).map((l) => `      ${l}`));
}

/** The report's lines, each on one line with control characters escaped: label values cannot drive the terminal. */
function joinLines(lines: readonly string[]): string {
  return `${lines.map(printable).join('\n')}\n`;
}

/** The readable report. */
export function renderText(result: DoctorResult, writtenTo?: string): string {
  const { facts } = result;
  const lines: string[] = [];
  const scope = result.cluster === undefined ? '' : `, cluster "${result.cluster}"`;
  lines.push(`metallb-mixin doctor: ${result.prometheus} (config: ${result.configSource}${scope})`, '');

  lines.push('What is there');
  lines.push(`  MetalLB series        ${facts.metallbSeries}`);
  for (const { component, sources: list } of componentSources(facts)) {
    const title = component === 'unidentified' ? 'unidentified' : describeComponent(component);
    list.forEach((s, i) => lines.push(`  ${(i === 0 ? title : '').padEnd(21)} ${sourceText(s)}`));
  }
  lines.push(`  BGP mode              ${facts.bgpModes.length > 0 ? facts.bgpModes.join(', ') : 'none (layer 2 only)'}`);
  lines.push(`  BFD                   ${facts.bfd ? 'yes' : 'no'}`);
  const c = facts.cluster;
  lines.push(
    `  cluster label         ${c.detected ? `${c.detected}: ${c.values.join(', ')}` : 'none (one cluster)'}${c.detected && c.detected !== c.configured ? `  (config says ${c.configured})` : ''}`,
  );
  const ksm = [...new Set(facts.kubeStateMetrics.map((k) => `job="${k.job}"`))];
  lines.push(`  kube-state-metrics    ${ksm.length > 0 ? ksm.join(', ') : 'not scraped'}`);
  facts.versionHints.forEach((h, i) => lines.push(`  ${(i === 0 ? 'version hints' : '').padEnd(21)} ${h}`));
  if (facts.downTargets.length === 0) lines.push('  targets down          none');
  facts.downTargets.forEach((t, i) =>
    lines.push(
      `  ${(i === 0 ? 'targets down' : '').padEnd(21)} job="${t.job}" instance="${t.instance}"${t.cluster ? ` (${t.cluster})` : ''}`,
    ),
  );
  lines.push('');

  if (result.problem) {
    lines.push(`Problem: ${result.problem}`);
    return joinLines(lines);
  }

  lines.push(`With this config: ${countsLine(result.check)}`);
  renderBlind(result.check, lines);
  renderNotApplicable(result.check, lines);
  lines.push('(every selector and finding: --json)', '');

  const fix = result.fix;
  if (fix) {
    if (fix.changes.length === 0) {
      lines.push('The fix: none needed, the config matches what is scraped.');
    } else {
      lines.push('The fix');
      for (const ch of fix.changes) lines.push(`  ${ch.path}: ${JSON.stringify(ch.from)} -> ${JSON.stringify(ch.to)}`, `    ${ch.why}`);
      for (const w of fix.warnings) lines.push(`  warning: ${w}`);
      lines.push(writtenTo ? `  written to ${writtenTo}:` : '  config (write it with --write-config FILE):');
      lines.push(
        ...fix.yaml
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
      );
      lines.push(`  for jsonnet (kube-prometheus), the same as _config+::: metallb-mixin config --jsonnet --config ${writtenTo ?? 'FILE'}`);
      if (fix.changes.some((ch) => buildOnlyFields.some((f) => ch.path === f.path || ch.path.startsWith(`${f.path}.`)))) {
        lines.push('    (bgp.modes is a build option: vendor an out/ built with that file, not the default one)');
      }
    }
    lines.push('');
  }
  if (result.recheck && fix && fix.changes.length > 0) {
    const left = blindItems(result.recheck);
    lines.push(`Re-check with the fix: ${countsLine(result.recheck)}${left.length === 0 ? ': nothing applicable is blind.' : ''}`);
    renderBlind(result.recheck, lines);
    lines.push('');
  }
  const verdict =
    blindItems(result.check).length === 0
      ? 'OK: nothing applicable is blind.'
      : `FAIL: ${blindItems(result.check).length} applicable item(s) blind with this config.`;
  lines.push(verdict);
  return joinLines(lines);
}

function checkJson(check: CheckResult) {
  return {
    counts: check.counts,
    blind: blindItems(check).map((i) => ({
      kind: i.kind,
      name: i.name,
      causes: [...new Set(i.findings.map((f) => f.cause))],
      findings: i.findings.map((f) => ({ selector: f.selector, cause: f.cause, detail: f.detail })),
    })),
    notApplicable: check.items
      .filter((i) => i.state === 'na')
      .map((i) => ({ kind: i.kind, name: i.name, reasons: [...new Set(i.findings.map((f) => f.detail))] })),
  };
}

/** The machine-readable report for CI. */
export function toJson(result: DoctorResult, writtenTo?: string): unknown {
  const { facts } = result;
  return {
    prometheus: result.prometheus,
    cluster: result.cluster ?? null,
    config: result.configSource,
    exitCode: result.exitCode,
    problem: result.problem ?? null,
    facts: {
      metallbSeries: facts.metallbSeries,
      components: Object.fromEntries(componentSources(facts).map((c) => [c.component, c.sources])),
      bgpModes: facts.bgpModes,
      bfd: facts.bfd,
      clusterLabel: { configured: facts.cluster.configured, detected: facts.cluster.detected ?? null, values: facts.cluster.values },
      kubeStateMetrics: facts.kubeStateMetrics,
      versionHints: facts.versionHints,
      downTargets: facts.downTargets,
    },
    check: checkJson(result.check),
    fix: result.fix
      ? {
          changes: result.fix.changes,
          warnings: result.fix.warnings,
          config: result.fix.minimal,
          yaml: result.fix.yaml,
          jsonnet: renderConfigOverride(result.fix.config),
          writtenTo: writtenTo ?? null,
        }
      : null,
    recheck: result.recheck ? checkJson(result.recheck) : null,
  };
}
