import { Type } from '@sinclair/typebox';
import { Duration, Section } from './common.js';

const Severity = Type.Union([Type.Literal('critical'), Type.Literal('warning'), Type.Literal('info')]);

const alertSettingsFields = (defaultFor: string, severityDescription?: string) => ({
  enabled: Type.Boolean({ default: true, description: 'Emit this alert.' }),
  for: Duration(defaultFor, 'How long the condition must hold before the alert fires.'),
  severity: Type.Optional(severityDescription ? Type.Union(Severity.anyOf, { description: severityDescription }) : Severity),
});

/** Per-alert knobs; `for` defaults live here so that every `for:` in the output comes from config. */
const AlertSettings = (defaultFor: string, severityDescription?: string) =>
  Section(alertSettingsFields(defaultFor, severityDescription), `Settings of this alert (default \`for\`: ${defaultFor}).`);

const Percent = (defaultValue: number, description: string) =>
  Type.Number({ minimum: 0.01, maximum: 100, default: defaultValue, description });

export const thresholdsSection = Section(
  {
    poolUsage: Section(
      {
        warning: Percent(85, 'Percent of a pool in use above which MetalLBAddressPoolUsageHigh fires as a warning.'),
        critical: Percent(95, 'Percent of a pool in use above which MetalLBAddressPoolUsageHigh fires as critical.'),
      },
      'Address pool usage, in percent of the pool.',
    ),
    poolFreeAddresses: Type.Integer({
      minimum: 1,
      maximum: 1000000,
      default: 2,
      description:
        'MetalLBAddressPoolHeadroomLow fires when a pool has fewer free addresses than this (percentages misfire on tiny pools). Pools no larger than this never raise it; MetalLBAddressPoolExhausted covers them.',
    }),
    k8sUpdateErrorRatio: Type.Number({
      minimum: 0.0001,
      maximum: 1,
      default: 0.05,
      description: 'Share of Kubernetes object updates that fail above which MetalLBK8sClientErrorsHigh fires.',
    }),
    bgpFlaps: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 2,
      description: 'State changes of one BGP session, or down events of one BFD session, within `bgpFlapWindow` that count as flapping.',
    }),
    bgpFlapWindow: Duration('15m', 'Window over which BGP session state changes and BFD down events are counted.'),
    webhookErrorRatio: Type.Number({
      minimum: 0.0001,
      maximum: 1,
      default: 0.05,
      description:
        'Share of the requests to a validating webhook of the MetalLB controller answered with a status other than 2xx (over 5 minutes) above which MetalLBWebhookFailing fires. A denied request is answered 200 and does not count.',
    }),
    reconcileErrorRatio: Type.Number({
      minimum: 0.0001,
      maximum: 1,
      default: 0.1,
      description:
        "Share of a pod's reconciles of one controller that return an error (over 5 minutes) above which the pod counts for MetalLBReconcileErrorsHigh.",
    }),
    reconcileStuckSeconds: Type.Integer({
      minimum: 1,
      maximum: 86400,
      default: 60,
      description:
        'Seconds a worker may spend on one reconcile (`workqueue_longest_running_processor_seconds`) before MetalLBReconcileStuck counts it as stuck. MetalLB reconciles take milliseconds.',
    }),
    l2AnnouncerChanges: Type.Integer({
      minimum: 2,
      maximum: 1000,
      default: 4,
      description:
        'Changes of the node announcing one layer-2 address within `l2AnnouncerChangeWindow` at which MetalLBL2AnnouncerFlapping fires. A restarted or drained node moves its addresses away and back: two changes.',
    }),
    l2AnnouncerChangeWindow: Duration('1h', 'Window over which changes of the node announcing a layer-2 address are counted.'),
  },
  'Thresholds of the alerts.',
);

export const poolsSection = Section(
  {
    exclude: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        'Pools (RE2 regular expressions, anchored) that never raise pool alerts (exhausted, usage, headroom), e.g. pools that are full by design. Recording rules and dashboards still show them.',
    }),
  },
  'Address pool options.',
);

/** Every alert of the mixin and its default `for`. An unknown name here is a config error. */
export const alertsSection = Section(
  {
    MetalLBAddressPoolExhausted: AlertSettings('5m'),
    MetalLBAddressPoolUsageHigh: AlertSettings(
      '15m',
      '`severity` is refused: the alert fires as warning above `thresholds.poolUsage.warning` and as critical above `thresholds.poolUsage.critical`, and one severity would make the two rules identical. Move a threshold instead (`critical: 100` never fires).',
    ),
    MetalLBAddressPoolHeadroomLow: AlertSettings('15m'),
    MetalLBConfigStale: AlertSettings('5m'),
    MetalLBConfigNotLoaded: AlertSettings('5m'),
    MetalLBK8sClientErrorsHigh: AlertSettings('15m'),
    MetalLBBGPSessionDown: AlertSettings('2m'),
    MetalLBBGPSessionFlapping: AlertSettings('5m'),
    MetalLBBGPNoPrefixesAnnounced: AlertSettings('10m'),
    MetalLBBGPPrefixesPending: AlertSettings('15m'),
    MetalLBFRRExporterSilent: AlertSettings('10m'),
    MetalLBBFDSessionDown: AlertSettings('2m'),
    MetalLBBFDSessionFlapping: AlertSettings('5m'),
    MetalLBAddressesNotAnnounced: AlertSettings('10m'),
    MetalLBL2DuplicateAnnouncer: AlertSettings('5m'),
    MetalLBControllerDown: AlertSettings('5m'),
    MetalLBSpeakerDown: AlertSettings('10m'),
    MetalLBSpeakersMissing: Section(
      {
        ...alertSettingsFields('15m'),
        nodeMatchers: Type.String({
          default: '',
          description:
            'Extra label matchers on `kube_node_info` for the nodes that should run a speaker, e.g. `node!~"gpu-.*"` when the speaker DaemonSet avoids some nodes on purpose. Empty: every Ready node.',
        }),
      },
      'Settings of this alert (default `for`: 15m), and which nodes should run a speaker.',
    ),
    MetalLBSpeakerTargetsMissing: AlertSettings('15m'),
    MetalLBFRRK8sDown: AlertSettings('10m'),
    MetalLBWebhookFailing: AlertSettings('10m'),
    MetalLBReconcileErrorsHigh: AlertSettings('15m'),
    MetalLBReconcilePanics: AlertSettings('1m'),
    MetalLBReconcileStuck: AlertSettings('10m'),
    MetalLBL2AnnouncerFlapping: AlertSettings('5m'),
  },
  'Per-alert settings: `enabled`, `for`, and an optional `severity` override.',
);
