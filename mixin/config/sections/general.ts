import { Type } from '@sinclair/typebox';
import { Duration } from './common.js';

export const generalProperties = {
  clusterLabel: Type.String({
    pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$',
    default: 'cluster',
    description:
      'The label that tells clusters apart. Every aggregation and join keeps it, so one Prometheus can watch many clusters; where it is absent it costs nothing. A label the rules use for something else (`job`, `instance`, `pod`, `node`, `peer`, `pool`, …) is refused.',
  }),
  showMultiCluster: Type.Boolean({
    default: false,
    description: 'Show the cluster variable in dashboards and name the cluster in alert descriptions.',
  }),
  runbookURLPattern: Type.String({
    pattern: '%s',
    default: 'https://github.com/metallb-mixin/metallb-mixin/blob/main/docs/runbooks.md#%s',
    description:
      "Where each alert's `runbook_url` points; `%s` (exactly once) becomes the lower-cased alert name. Any other `%` is kept as written (`%20` in a wiki URL).",
  }),
  // Keys are checked in semantics.ts: a key pattern here would let other keys through unchecked.
  alertLabels: Type.Record(Type.String(), Type.String(), {
    default: {},
    description:
      'Labels added to every alert, e.g. `{team: network}` for routing. Labels the alerts already carry or use (the cluster label, `pool`, `peer`, `instance`, `severity`, `alertname`, …) are refused, and so are values that change at every evaluation (`{{ $value }}`, `humanize`), which would keep `for` from ever completing.',
  }),
  mediumRulesInterval: Duration(
    '1m',
    "Evaluation interval (`interval:` of their groups) of the recording rules behind alerts that wait a minute or more and count over a window: BGP and BFD flaps, configuration state, layer-2 duplicates and announcer changes, reconcile panics. Those alerts fire at most this much later. Sessions down and pools run at Prometheus's own `evaluation_interval`.",
  ),
  slowRulesInterval: Duration(
    '4m',
    "Evaluation interval (`interval:` of their groups) of the recording rules that read the largest families or serve only dashboards: announcements, per-peer BGP and BFD series, Kubernetes client error ratios, ARP/NDP rates, nodes and pods, controller-runtime and process metrics. The alerts that read them have a default `for` of 10m or more, so they fire at most this much later. Keep it below Prometheus's 5m lookback, or panels show gaps.",
  ),
};
