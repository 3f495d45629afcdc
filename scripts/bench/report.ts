import { buildTargets, type BuildSpeed, type Timed } from './buildspeed.js';
import { faultSchedule, selectedCluster } from './clusters.js';
import type { Source } from './queries.js';
import type { SizeRun } from './run.js';
import { sum } from './stats.js';
import { dashboardFiles, panels, ruleCosts, ruleTargets, summarize, variableMs, verdicts, type GroupSummary, type PanelSummary } from './summary.js';
import { benchTimeline } from './timeline.js';

export interface BenchReport {
  readonly date: string;
  readonly machine: { readonly cores: number; readonly cpu: string; readonly memoryGiB: number };
  readonly versions: Readonly<Record<string, string>>;
  readonly settings: { readonly repeat: number; readonly step: string; readonly rateInterval: string; readonly scrape: string; readonly selectedCluster: string };
  readonly buildSpeed: BuildSpeed | undefined;
  readonly runs: readonly SizeRun[];
  readonly seedDir: string | undefined;
  /** The size the targets are judged at. */
  readonly targetSize: number;
  readonly panelSeriesLimit: number;
}

const fmtMs = (ms: number) => (Number.isNaN(ms) ? 'n/a' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtRatio = (r: number) => (Number.isFinite(r) ? r.toFixed(2) : 'n/a');
const code = (s: string) => `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\s+/g, ' ')}\``;
const shorten = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The figures of the rule-cost targets at one size. */
function ruleCostFigures(run: SizeRun) {
  const q = run.measurement.queries;
  const ours = ruleCosts(q, 'ours');
  const seed = ruleCosts(q, 'seed');
  const slowest = ours.rules.reduce<(typeof ours.rules)[number] | undefined>((m, r) => (!m || r.execMs > m.execMs ? r : m), undefined);
  const recorded = sum(q.filter((x) => x.source === 'ours' && x.file === 'rules').map((x) => x.series));
  return { ours, seed, slowest, recorded };
}

/** The line tools read: `rule CPU per minute at 1,000 nodes: ours <N> ms, seed <M> ms`. */
const ruleCpuLine = (size: number, f: ReturnType<typeof ruleCostFigures>) =>
  `rule CPU per minute at ${fmtInt(size)} nodes: ours ${Math.round(f.ours.totalMsPerMinute)} ms, seed ${Math.round(f.seed.totalMsPerMinute)} ms`;

const slowestText = (s: GroupSummary) => (s.slowest ? `${s.slowest.name} (${fmtMs(s.slowest.execMs)})` : '');

/** The short table printed at the end of a run and placed at the top of results.md. */
export function summaryTable(report: BenchReport): string {
  const rows = report.runs.map((run) => {
    const q = run.measurement.queries;
    const both = (file: string) => {
      const ours = summarize(q, 'ours', file).execMs;
      const seed = summarize(q, 'seed', file).execMs;
      return `${fmtMs(ours)} / ${fmtMs(seed)} (${fmtRatio(ours / seed)})`;
    };
    const seedDash = dashboardFiles(run.measurement, 'seed')[0];
    const seedMs = seedDash ? summarize(q, 'seed', seedDash).execMs : NaN;
    const worst = dashboardFiles(run.measurement, 'ours')
      .map((f) => summarize(q, 'ours', f))
      .reduce<GroupSummary | undefined>((w, d) => (!w || d.execMs > w.execMs ? d : w), undefined);
    const maxSeries = (source: Source) =>
      dashboardFiles(run.measurement, source)
        .flatMap((f) => panels(q, source, f))
        .reduce((m, p) => Math.max(m, p.series), 0);
    const recorded = (source: Source) => fmtInt(sum(q.filter((x) => x.source === source && x.file === 'rules').map((x) => x.series)));
    return [
      `${fmtInt(run.size)} (${fmtInt(run.clusters.reduce((n, c) => n + c.nodes, 0))} in all)`,
      fmtInt(run.data.series),
      both('alerts'),
      both('rules'),
      worst ? `${fmtMs(worst.execMs)} (${worst.file}) / ${fmtMs(seedMs)} (${fmtRatio(worst.execMs / seedMs)})` : 'no dashboards yet',
      `${fmtInt(maxSeries('ours'))} / ${fmtInt(maxSeries('seed'))}`,
      `${recorded('ours')} / ${recorded('seed')}`,
    ];
  });
  return table(
    [
      'nodes (selected cluster)',
      'series stored',
      'alerts ms, ours / seed (ratio)',
      'rules ms, ours / seed (ratio)',
      'slowest dashboard ms, ours / seed (ratio)',
      'max series per panel, ours / seed',
      'recording-rule series, ours / seed',
    ],
    rows,
  );
}

function buildSpeedSection(b: BuildSpeed): string {
  const row = (t: Timed) => [t.label, code(t.command), fmtMs(t.medianMs), fmtRatio(t.medianMs / b.nodeFloor.medianMs), fmtRatio(t.medianMs / b.sdkFloor.medianMs)];
  return [
    '## Build speed',
    '',
    `Median of ${b.cli.runs.length} runs, each in a fresh process.`,
    '',
    table(['what', 'command', 'median ms', '× node -e 0', '× SDK import'], [b.nodeFloor, b.sdkFloor, b.generate, b.cli, b.jsonnet].map(row)),
    '',
    `- CLI build median at most ${fmtInt(buildTargets.cliMs)} ms: ${b.cli.medianMs <= buildTargets.cliMs ? '**pass**' : '**FAIL**'} (${fmtMs(b.cli.medianMs)} ms).`,
    `- jsonnet evaluation of the mixin under ${fmtInt(buildTargets.jsonnetMs)} ms: ${b.jsonnet.medianMs < buildTargets.jsonnetMs ? '**pass**' : '**FAIL**'} (${fmtMs(b.jsonnet.medianMs)} ms).`,
  ].join('\n');
}

function verdictSection(report: BenchReport): string {
  const run = report.runs.find((r) => r.size === report.targetSize);
  if (!run) return `## Targets\n\nNot judged: the ${fmtInt(report.targetSize)}-node size was not run.`;
  const v = verdicts(run, report.panelSeriesLimit);
  const pf = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');
  const lines = [`## Targets at ${fmtInt(report.targetSize)} nodes`, ''];
  const f = ruleCostFigures(run);
  lines.push(
    ruleCpuLine(report.targetSize, f),
    '',
    `- Rule CPU per minute (every alert and recording rule: its time per evaluation × its evaluations per minute, 30 s unless its group sets \`interval:\`) at most ${fmtInt(ruleTargets.msPerMinute)} ms: ${pf(f.ours.totalMsPerMinute <= ruleTargets.msPerMinute)} (ours ${fmtInt(f.ours.totalMsPerMinute)} ms, seed ${fmtInt(f.seed.totalMsPerMinute)} ms).`,
    `- No single rule above ${ruleTargets.ruleMs} ms per evaluation: ${pf((f.slowest?.execMs ?? 0) <= ruleTargets.ruleMs)}${f.slowest ? ` (slowest: ${f.slowest.name}, ${fmtMs(f.slowest.execMs)} ms)` : ''}.`,
    `- Recording-rule series stored at most ${fmtInt(ruleTargets.recordedSeries)}: ${pf(f.recorded <= ruleTargets.recordedSeries)} (${fmtInt(f.recorded)}).`,
  );
  lines.push(
    v.alerts
      ? `- Alert file evaluates no slower than the seed's: ${pf(v.alerts.pass)} (ours ${fmtMs(v.alerts.ours)} ms, seed ${fmtMs(v.alerts.seed)} ms, ratio ${fmtRatio(v.alerts.ours / v.alerts.seed)}).`
      : '- Alert file: not judged (no seed).',
  );
  if (v.dashboards.length === 0) lines.push('- Dashboards: none generated yet.');
  for (const d of v.dashboards) {
    lines.push(`- ${d.file} range load at most half the seed dashboard's: ${pf(d.pass)} (${fmtMs(d.ours)} ms vs ${fmtMs(d.seed)} ms, ratio ${fmtRatio(d.ratio)}).`);
  }
  lines.push(
    v.panelsOverLimit.length === 0
      ? `- No default panel returns more than ${report.panelSeriesLimit} series: ${pf(true)}.`
      : `- No default panel returns more than ${report.panelSeriesLimit} series: ${pf(false)}: ${v.panelsOverLimit.map((p) => `${p.file} / ${p.panel} (${fmtInt(p.series)})`).join('; ')}.`,
  );
  lines.push('', 'The ten costliest rules of ours, per minute:', '');
  lines.push(
    table(
      ['file', 'name', 'ms per evaluation', 'evaluations per minute', 'ms per minute'],
      f.ours.rules.slice(0, 10).map((r) => [r.file, r.name, fmtMs(r.execMs), fmtRatio(r.perMinute), fmtMs(r.msPerMinute)]),
    ),
  );
  return lines.join('\n');
}

/**
 * The paragraph the README quotes (between its `bench-summary` markers), from the same verdicts
 * as results.md, so the ratios it states are those of the latest committed run.
 */
export function readmeSummary(report: BenchReport): string | undefined {
  const run = report.runs.find((r) => r.size === report.targetSize);
  if (!run) return undefined;
  const v = verdicts(run, report.panelSeriesLimit);
  const ratio = (ours: number, seed: number) => `${fmtRatio(ours / seed)}×`;
  const lines: string[] = [`Latest run at ${fmtInt(report.targetSize)} nodes (${report.machine.cores} cores, ${report.date}), against the seed on the same data:`];
  if (v.alerts) {
    lines.push(
      `the alert file evaluates in ${fmtMs(v.alerts.ours)} ms against the seed's ${fmtMs(v.alerts.seed)} ms (${ratio(v.alerts.ours, v.alerts.seed)}; target: no slower, ${v.alerts.pass ? 'met' : 'missed'});`,
    );
  }
  const rules = summarize(run.measurement.queries, 'ours', 'rules');
  if (rules.queries > 0) {
    const f = ruleCostFigures(run);
    lines.push(
      `${ruleCpuLine(report.targetSize, f)} (target: at most ${fmtInt(ruleTargets.msPerMinute)}, ${f.ours.totalMsPerMinute <= ruleTargets.msPerMinute ? 'met' : 'missed'}), every alert and recording rule counted at its group's interval;`,
      `our ${fmtInt(rules.queries)} recording rules take ${fmtMs(rules.execMs)} ms per evaluation in all${f.slowest ? `, the slowest rule ${fmtMs(f.slowest.execMs)} ms (${f.slowest.name}; target: at most ${ruleTargets.ruleMs}, ${f.slowest.execMs <= ruleTargets.ruleMs ? 'met' : 'missed'})` : ''}, and store ${fmtInt(f.recorded)} series (target: at most ${fmtInt(ruleTargets.recordedSeries)}, ${f.recorded <= ruleTargets.recordedSeries ? 'met' : 'missed'});`,
    );
  }
  const b = report.buildSpeed;
  if (b) {
    lines.push(
      `the CLI build takes ${fmtMs(b.cli.medianMs)} ms (median; target: at most ${fmtInt(buildTargets.cliMs)}, ${b.cli.medianMs <= buildTargets.cliMs ? 'met' : 'missed'}) and jsonnet evaluates the mixin in ${fmtMs(b.jsonnet.medianMs)} ms (target: under ${fmtInt(buildTargets.jsonnetMs)}, ${b.jsonnet.medianMs < buildTargets.jsonnetMs ? 'met' : 'missed'});`,
    );
  }
  const dashboards = v.dashboards.map((d) => `${d.file.replace(/^metallb-|\.json$/g, '')} ${fmtRatio(d.ratio)}×${d.pass ? '' : ' (missed)'}`);
  const allMet = v.dashboards.every((d) => d.pass);
  lines.push(`dashboard range loads as a share of the seed dashboard's ${fmtMs(v.dashboards[0]?.seed ?? NaN)} ms (target: at most 0.5× each, ${allMet ? 'all met' : 'not all met'}): ${dashboards.join(', ')};`);
  lines.push(
    v.panelsOverLimit.length === 0
      ? `no default panel returns more than ${report.panelSeriesLimit} series.`
      : `default panels over ${report.panelSeriesLimit} series: ${v.panelsOverLimit.map((p) => `${p.file} / ${p.panel} (${fmtInt(p.series)})`).join('; ')}.`,
  );
  return lines.join('\n');
}

function sizeSection(run: SizeRun, report: BenchReport, detailed: boolean): string {
  const q = run.measurement.queries;
  const out: string[] = [`## ${fmtInt(run.size)} nodes`, ''];
  out.push(
    table(
      ['cluster', 'install', 'BGP', 'nodes', 'services'],
      run.clusters.map((c) => [c.name, c.install, c.bgp, fmtInt(c.nodes), fmtInt(c.services)]),
    ),
  );
  const d = run.data;
  out.push(
    '',
    `${fmtInt(d.series)} series, ${fmtInt(d.samples)} samples (${(d.bytes / 1e9).toFixed(2)} GB of OpenMetrics): generated in ${d.generateSeconds.toFixed(1)} s while promtool backfilled the parts, backfill done ${d.backfillSeconds.toFixed(1)} s later, Prometheus ready in ${d.startupSeconds.toFixed(1)} s, recording rules and \`ALERTS\` backfilled in ${d.recordSeconds.toFixed(1)} s.`,
    '',
    '### Rule files (instant queries at the end of the window)',
    '',
  );
  const ruleRows = (['alerts', 'rules'] as const).flatMap((file) => {
    const ours = summarize(q, 'ours', file);
    const seed = summarize(q, 'seed', file);
    return [ours, seed].map((s) => [
      file,
      s.source,
      fmtInt(s.queries),
      fmtMs(s.execMs),
      fmtMs(s.p99Ms),
      fmtInt(s.samples),
      fmtInt(s.series),
      fmtInt(s.errors),
      slowestText(s),
      s.source === 'ours' ? fmtRatio(ours.execMs / seed.execMs) : '',
    ]);
  });
  out.push(table(['file', 'source', 'queries', 'total ms', 'p99 ms', 'samples', 'series returned', 'errors', 'slowest (ms)', 'ours/seed'], ruleRows));

  const seedDash = dashboardFiles(run.measurement, 'seed')[0];
  const seedTotal = seedDash ? summarize(q, 'seed', seedDash).execMs : NaN;
  out.push('', `### Dashboards (range queries over 1 h, step ${report.settings.step}, \`$__rate_interval\` = ${report.settings.rateInterval}, \`$cluster\` = ${report.settings.selectedCluster})`, '');
  const dashRows = (['ours', 'seed'] as const).flatMap((source) =>
    dashboardFiles(run.measurement, source).map((file) => {
      const s = summarize(q, source, file);
      const ps = panels(q, source, file);
      const maxPanel = ps.reduce<PanelSummary | undefined>((m, p) => (!m || p.series > m.series ? p : m), undefined);
      return [
        file,
        source,
        fmtInt(ps.length),
        fmtInt(s.queries),
        fmtMs(s.execMs),
        fmtMs(s.p99Ms),
        fmtMs(s.clientMs),
        fmtMs(variableMs(run.measurement.variables, source, file)),
        fmtInt(s.samples),
        maxPanel ? `${fmtInt(maxPanel.series)} (${maxPanel.panel})` : '',
        fmtInt(s.errors),
        slowestText(s),
        source === 'ours' ? fmtRatio(s.execMs / seedTotal) : '',
      ];
    }),
  );
  out.push(
    table(
      ['dashboard', 'source', 'panels', 'queries', 'server ms', 'p99 ms', 'client ms', 'variables ms', 'samples', 'max series per panel', 'errors', 'slowest (ms)', 'ours/seed'],
      dashRows,
    ),
  );

  const ours = q.filter((x) => x.source === 'ours');
  const slowest = [...ours].sort((a, b) => b.execMs - a.execMs).slice(0, 10);
  out.push('', '### Slowest queries of ours', '');
  out.push(
    table(
      ['where', 'name', 'mode', 'exec ms', 'client ms', 'series', 'samples', 'query'],
      slowest.map((x) => [x.file, x.name + (x.refId ? ` [${x.refId}]` : ''), x.mode, fmtMs(x.execMs), fmtMs(x.clientMs), fmtInt(x.series), fmtInt(x.samples), code(shorten(x.expr, 160))]),
    ),
  );

  const over = dashboardFiles(run.measurement, 'ours')
    .flatMap((f) => panels(q, 'ours', f))
    .filter((p) => p.series > report.panelSeriesLimit);
  if (over.length > 0) {
    out.push('', `### Panels of ours over ${report.panelSeriesLimit} series`, '');
    out.push(table(['dashboard', 'panel', 'series', 'server ms'], over.map((p) => [p.file, p.panel, fmtInt(p.series), fmtMs(p.execMs)])));
  }

  const records = q.filter((x) => x.file === 'rules');
  out.push(
    '',
    '### Series the recording rules add',
    '',
    `Ours: ${fmtInt(sum(records.filter((x) => x.source === 'ours').map((x) => x.series)))} series from ${records.filter((x) => x.source === 'ours').length} rules; the seed: ${fmtInt(sum(records.filter((x) => x.source === 'seed').map((x) => x.series)))} from ${records.filter((x) => x.source === 'seed').length}.`,
  );

  const errors = q.filter((x) => x.error);
  if (errors.length > 0) {
    out.push('', '### Queries that failed', '');
    out.push(table(['source', 'where', 'name', 'error', 'query'], errors.map((x) => [x.source, x.file, x.name, code(shorten(x.error ?? '', 160)), code(shorten(x.expr, 120))])));
  }

  if (detailed) {
    out.push('', '### Every alert and recording rule', '');
    const rules = q.filter((x) => x.file === 'alerts' || x.file === 'rules');
    out.push(table(['source', 'file', 'name', 'exec ms', 'series', 'samples'], rules.map((x) => [x.source, x.file, x.name, fmtMs(x.execMs), fmtInt(x.series), fmtInt(x.samples)])));
    out.push('', '### Every panel', '');
    const rows = (['ours', 'seed'] as const).flatMap((source) =>
      dashboardFiles(run.measurement, source).flatMap((f) => panels(q, source, f).map((p) => [f, p.panel, fmtMs(p.execMs), fmtMs(p.clientMs), fmtInt(p.series), fmtInt(p.samples)])),
    );
    out.push(table(['dashboard', 'panel', 'server ms', 'client ms', 'series', 'samples'], rows));
    const vars = run.measurement.variables;
    if (vars.length > 0) {
      out.push('', '### Dashboard variables', '');
      out.push(table(['dashboard', 'variable', 'options', 'expanded to', 'client ms'], vars.map((v) => [v.file, v.name, fmtInt(v.options), code(v.value), fmtMs(v.clientMs)])));
    }
  }
  return out.join('\n');
}

export function renderReport(report: BenchReport, dataNotes: string): string {
  const largest = Math.max(...report.runs.map((r) => r.size));
  return [
    '# Benchmark: build speed and query cost at scale',
    '',
    `Written by \`npm run bench\` on ${report.date}. Machine: ${report.machine.cores} cores (${report.machine.cpu}), ${report.machine.memoryGiB} GiB. ` +
      Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ') + '.',
    '',
    `Timings are Prometheus's own (\`stats=all\`, which 2.42 answers with timings and sample counts: \`execTotalTime\`), the median of ${report.settings.repeat} runs of each query, run one at a time; ` +
      '"client ms" is the wall time of the HTTP request. "samples" (`totalQueryableSamples`) is the work a query does, and does not depend on the machine. ' +
      `Ours is whatever \`generate(defaultConfig())\` returned at run time; the seed is ${report.seedDir ? `\`${report.seedDir}\`` : 'absent'}, measured in the same run against the same data.`,
    '',
    summaryTable(report),
    '',
    verdictSection(report),
    '',
    'Reading the numbers:',
    '',
    `- Rule files are evaluated as instant queries at the end of the window; dashboards as Grafana loads them: every visible target as a range query over the last hour (instant where the target asks for it), variables resolved first (multi-value ones to their All value), \`$cluster\` = \`${report.settings.selectedCluster}\`.`,
    "- The seed's dashboard has no cluster variable and reads every cluster; its BGP panels read only the native-mode cluster (it does not know `frrk8s_*`), so it does less work than ours on BGP and nothing for frr-k8s, BFD, announcements or controller-runtime, which it does not show.",
    '- "client ms" sums the requests of a panel or dashboard one after the other; Grafana sends them in parallel, so a browser waits less, but the server does the same work.',
    '- `topk`/`bottomk` in a range query keep k series per step, so a panel can return more than k series over an hour.',
    '',
    ...(report.buildSpeed ? [buildSpeedSection(report.buildSpeed), ''] : []),
    dataNotes,
    '',
    ...report.runs.map((run) => sizeSection(run, report, run.size === largest)),
    '',
  ].join('\n');
}

/** What the synthetic data contains, so a reader can judge the numbers. */
export function estateNotes(report: BenchReport): string {
  const f = faultSchedule;
  const min = (tick: number) => `${(tick * benchTimeline.step) / 60}`;
  const window = (benchTimeline.ticks - 1) * benchTimeline.step / 60;
  return [
    '## The data',
    '',
    `Each size N is three clusters, generated with a seeded PRNG (the same data every run), scraped every ${report.settings.scrape} for ${window} minutes and backfilled with \`promtool tsdb create-blocks-from openmetrics\`. The series our recording rules and alerts would have recorded (\`ALERTS\` approximated as firing whenever the expression returns a series, without \`for\`) are backfilled with \`promtool tsdb create-blocks-from rules\` against the running Prometheus, and queries run once Prometheus has merged all blocks into one.`,
    '',
    `- \`${selectedCluster}\`, N nodes: MetalLB 0.16 from the Helm chart (jobs \`metallb\`, \`metallb-controller-monitor-service\`, \`metallb-frr-k8s-frr-k8s-monitor-service\`; ports 9120/9140/9141), BGP in frr-k8s mode (\`frrk8s_bgp_*\`/\`frrk8s_bfd_*\`, peer without port, \`vrf\`), two ToR peers per node with BFD and a third peer in VRF \`storage\` on every tenth rack; 10 services per node. The dashboards are opened on this cluster (\`$cluster\`).`,
    '- `prod-us1`, 0.3 N nodes: MetalLB 0.15 from Helm (port 7472), native BGP (`metallb_bgp_*`, peer `IP:179`), including the stale `peer="IP"` series at 0 that 0.15 leaves behind (metallb#2806). These `metallb_bgp_*` series are what the seed\'s BGP queries find: the seed names no job and was written for native/FRR mode, so it sees nothing of frr-k8s, while ours read every mode.',
    '- `edge-ams1`, 0.1 N nodes: MetalLB 0.16 from the kustomize manifests (jobs `speaker-monitor-service`, `controller-monitor-service`), layer 2 only, 5 services per node.',
    '',
    'Every series carries the target labels the Prometheus Operator adds (`cluster`, `job`, `namespace`, `service`, `endpoint`, `pod`, `container`, `instance`), with `honorLabels` semantics for the metric\'s own labels (`service`; `namespace` and `pod` of `kube_pod_info`); kube-state-metrics reports nodes, their Ready condition and taints, MetalLB\'s pods (`kube_pod_info` with their node and owner: the speaker and frr-k8s DaemonSets, the controller\'s ReplicaSets), and the LoadBalancer Services. Native BGP sessions report as pending the prefixes the speaker wants advertised, so a converged session has pending equal to announced. What happens during the window:',
    '',
    `- the controller Deployment rolls out ${min(f.rollout.newFrom)} minutes in: old and new pod report the same pools for ${min(f.rollout.oldUntil - f.rollout.newFrom)} minutes;`,
    `- 2 % of speakers (at least one per cluster) restart between minutes ${min(f.restartsBetween[0])} and ${min(f.restartsBetween[1])}: scrapes fail for 30–90 s, counters reset, their layer-2 IPs fail over to another node (gratuitous ARP/NDP) and back; 1 % of frr-k8s pods restart too (sessions re-established, counters reset);`,
    `- one node per cluster becomes unreachable ${min(f.notReadyFrom)} minutes in (kube-state-metrics: Ready unknown, \`node.kubernetes.io/unreachable\` taints; its targets down);`,
    `- 0.5 % of nodes (at least two) have a session flapping (down 30–90 s every few minutes) from minute ${min(f.flappingFrom[0])}–${min(f.flappingFrom[1])} on; one session per BGP cluster goes down for good ${min(f.sessionDownFrom)} minutes in;`,
    '- pools: one public pool fills from 90 % to 97 %, a tiny `mgmt` pool is full (4/4), dual-stack pools, an IPv6-only /64 pool (MaxInt64 capacity) and a mixed /64 + IPv4 pool whose total overflows negative (metallb#3140); IPv4-only pools report IPv6 0/0;',
    `- one speaker runs on a stale config from minute ${min(f.staleConfigFrom)}; one has a burst of Kubernetes update errors from minute ${min(f.errorBurst[0])} to ${min(f.errorBurst[1])};`,
    `- one layer-2 IP per cluster is announced by two nodes at once from minute ${min(f.splitBrain.from)} to ${min(f.splitBrain.to)} (a memberlist split);`,
    '- layer-2 services are announced by one node; BGP services with `externalTrafficPolicy: Local` by the two nodes holding endpoints; three ingress services per BGP cluster by every node.',
    '',
    'Only metrics some query can read are generated (no `go_gc_*`, `promhttp_*`, …), and the controller-runtime latency histogram (41 buckets) exists for one controller per MetalLB process, so that the 1,000-node size stays within minutes; a real target has more series, which no query here touches except the histogram panels, which would cost more.',
  ].join('\n');
}
