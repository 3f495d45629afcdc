import { percentText, ratioOf } from '../../alerts/templates.js';
import type { AlertName, MixinConfig } from '../config/schema.js';
import { configSchema } from '../config/schema.js';

/**
 * Every config field that `out/mixin.libsonnet` takes from `_config`, with how it reaches the
 * output. The template build puts each field's `sentinel` into the config; wherever a `text` of it
 * shows up in the built mixin, the jsonnet computes that text from `_config` instead.
 *
 * Fields the generator uses structurally (which alerts exist, their labels, the runbook link, uid
 * overrides) are applied by the jsonnet wrapper in `wrapper.ts`, not by substitution.
 */
export interface JsonnetField {
  /** Name in `_config` (kubernetes-mixin style), or `alerts.<Name>.<setting>`. */
  readonly name: string;
  /** Where the TypeScript config holds it. */
  readonly path: readonly string[];
  /** The value the template build uses. */
  readonly sentinel: unknown;
  /** Strings of the built mixin that come from the sentinel, each with the jsonnet that makes it. */
  readonly texts: readonly (readonly [text: string, jsonnet: string])[];
  /** JSON values (numbers, arrays) equal to these are the field itself, or a value derived from it. */
  readonly values?: readonly (readonly [value: unknown, jsonnet: string])[];
  /**
   * A value that changes the structure of the output (an empty matcher is left out of its
   * selector; no pool exclusions means no `pool!~` matcher), and the jsonnet condition that holds
   * for the sentinel's branch. The template build is made once more with this value.
   */
  readonly other?: { readonly value: unknown; readonly sentinelBranch: string };
}

const alertNames = Object.keys(configSchema.properties.alerts.properties) as AlertName[];

/** A jsonnet reference to a `_config` field; `for` is a keyword, hence the brackets. */
export const ref = (name: string) =>
  `c${name
    .split('.')
    .map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) && p !== 'for' ? `.${p}` : `[${JSON.stringify(p)}]`))
    .join('')}`;

let tokens = 0;
/** A string field: its sentinel is a token that appears nowhere else, and its text is itself. */
function stringField(name: string, path: string[], other?: JsonnetField['other']): JsonnetField {
  const token = `JSONNETCFG${tokens++}X`;
  return { name, path, sentinel: token, texts: [[token, ref(name)]], ...(other ? { other } : {}) };
}

/** Numbers are chosen so that each of their renderings is unlike anything else in the mixin. */
function percentField(name: string, path: string[], sentinel: number): JsonnetField {
  const r = ref(name);
  return {
    name,
    path,
    sentinel,
    texts: [
      [String(sentinel), `lib.num(${r})`],
      [ratioOf(sentinel), `lib.num(${r} / 100)`],
    ],
    values: [[sentinel, r]],
  };
}

function countField(name: string, path: string[], sentinel: number): JsonnetField {
  return { name, path, sentinel, texts: [[String(sentinel), `lib.num(${ref(name)})`]], values: [[sentinel, ref(name)]] };
}

const errorRatio = 0.0421357;

/** A share threshold, written as a number in expressions and as a percentage in descriptions. */
function ratioField(name: string, path: string[], sentinel: number): JsonnetField {
  const r = ref(name);
  return {
    name,
    path,
    sentinel,
    texts: [
      [String(sentinel), `lib.num(${r})`],
      [percentText(sentinel), `lib.percent(${r})`],
    ],
    values: [[sentinel, r]],
  };
}

export const substitutedFields: readonly JsonnetField[] = [
  stringField('clusterLabel', ['clusterLabel']),
  stringField('controllerSelector', ['selectors', 'controller']),
  stringField('speakerSelector', ['selectors', 'speaker']),
  stringField('frrMetricsSelector', ['selectors', 'frrMetrics']),
  stringField('frrK8sSelector', ['selectors', 'frrK8s']),
  stringField('kubeStateMetricsSelector', ['selectors', 'kubeStateMetrics']),
  stringField('nativePeerMatcher', ['bgp', 'nativePeerMatcher'], { value: '', sentinelBranch: `${ref('nativePeerMatcher')} != ''` }),
  {
    name: 'poolsExclude',
    path: ['pools', 'exclude'],
    sentinel: ['JSONNETCFGPOOLSX'],
    texts: [[JSON.stringify('JSONNETCFGPOOLSX'), `std.escapeStringJson(std.join('|', ${ref('poolsExclude')}))`]],
    other: { value: [], sentinelBranch: `std.length(${ref('poolsExclude')}) > 0` },
  },
  percentField('poolUsageWarning', ['thresholds', 'poolUsage', 'warning'], 81.97531),
  percentField('poolUsageCritical', ['thresholds', 'poolUsage', 'critical'], 93.86421),
  countField('poolFreeAddresses', ['thresholds', 'poolFreeAddresses'], 7331),
  {
    name: 'k8sUpdateErrorRatio',
    path: ['thresholds', 'k8sUpdateErrorRatio'],
    sentinel: errorRatio,
    texts: [
      [String(errorRatio), `lib.num(${ref('k8sUpdateErrorRatio')})`],
      [percentText(errorRatio), `lib.percent(${ref('k8sUpdateErrorRatio')})`],
    ],
    values: [[errorRatio, ref('k8sUpdateErrorRatio')]],
  },
  stringField('mediumRulesInterval', ['mediumRulesInterval']),
  stringField('slowRulesInterval', ['slowRulesInterval']),
  countField('bgpFlaps', ['thresholds', 'bgpFlaps'], 6113),
  stringField('bgpFlapWindow', ['thresholds', 'bgpFlapWindow']),
  ratioField('webhookErrorRatio', ['thresholds', 'webhookErrorRatio'], 0.0531246),
  ratioField('reconcileErrorRatio', ['thresholds', 'reconcileErrorRatio'], 0.0642579),
  countField('reconcileStuckSeconds', ['thresholds', 'reconcileStuckSeconds'], 8219),
  countField('l2AnnouncerChanges', ['thresholds', 'l2AnnouncerChanges'], 9473),
  stringField('l2AnnouncerChangeWindow', ['thresholds', 'l2AnnouncerChangeWindow']),
  ...alertNames.map((a) => stringField(`alerts.${a}.for`, ['alerts', a, 'for'])),
  stringField('alerts.MetalLBSpeakersMissing.nodeMatchers', ['alerts', 'MetalLBSpeakersMissing', 'nodeMatchers'], {
    value: '',
    sentinelBranch: `${ref('alerts.MetalLBSpeakersMissing.nodeMatchers')} != ''`,
  }),
  {
    name: 'showMultiCluster',
    path: ['showMultiCluster'],
    sentinel: false,
    texts: [],
    other: { value: true, sentinelBranch: `!${ref('showMultiCluster')}` },
  },
  stringField('dashboardTitlePrefix', ['dashboards', 'titlePrefix']),
  stringField('dashboardUIDPrefix', ['dashboards', 'uidPrefix']),
  {
    name: 'dashboardTags',
    path: ['dashboards', 'tags'],
    sentinel: ['JSONNETCFGTAGSX'],
    texts: [],
    values: [[['JSONNETCFGTAGSX'], ref('dashboardTags')]],
  },
  stringField('dashboardRefresh', ['dashboards', 'refresh']),
  stringField('dashboardTimezone', ['dashboards', 'timezone']),
  stringField('dashboardFrom', ['dashboards', 'from']),
  stringField('datasourceName', ['dashboards', 'datasource', 'name']),
  stringField('datasourceRegex', ['dashboards', 'datasource', 'regex']),
];

/** What the template must never contain once substituted: a sentinel in a form no field knows. */
export const sentinelTraces: readonly string[] = [
  'JSONNETCFG',
  '97531',
  '86421',
  '7331',
  '6113',
  '421357',
  '531246',
  '642579',
  '8219',
  '9473',
];

/**
 * Fields the wrapper applies: they decide which rules exist and what labels and links they carry,
 * so they are read from `_config` where the rules are assembled.
 */
export const wrapperFields = [
  { name: 'runbookURLPattern', path: ['runbookURLPattern'] },
  { name: 'alertLabels', path: ['alertLabels'] },
  { name: 'dashboardUIDs', path: ['dashboards', 'uids'] },
  ...alertNames.flatMap((a) => [
    { name: `alerts.${a}.enabled`, path: ['alerts', a, 'enabled'] },
    { name: `alerts.${a}.severity`, path: ['alerts', a, 'severity'] },
  ]),
] as const satisfies readonly { name: string; path: readonly string[] }[];

/** Config fields that only the generator can apply, and why (the README lists them). */
export const buildOnlyFields: readonly { readonly path: string; readonly why: string }[] = [
  { path: 'bgp.modes', why: 'picks which BGP back-ends every BGP/BFD query unions, and so which rules and panels exist' },
  { path: 'outputs', why: 'shapes the files a build writes (Kubernetes manifests, Alertmanager config), not the mixin object' },
];

/** The value at `path` of a config object. */
export function valueAt(cfg: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], cfg);
}

/** A copy of `cfg` with `value` at `path`. */
export function withValue(cfg: MixinConfig, path: readonly string[], value: unknown): MixinConfig {
  const copy = structuredClone(cfg) as unknown as Record<string, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
  return copy as unknown as MixinConfig;
}
