import { Document, type Node, type YAMLSeq } from 'yaml';
import { inhibitions, type AlertMatch, type Inhibition } from '../alertmanager/inhibitions.js';
import type { MixinConfig } from '../config/schema.js';
import { selectorsOf } from '../promql/inspect.js';
import type { Mixin, Severity } from '../types.js';
import { toYaml } from './yaml.js';

/** An Alertmanager `inhibit_rules` entry (matchers syntax, Alertmanager >= 0.22). */
export interface InhibitRule {
  source_matchers: string[];
  target_matchers: string[];
  equal: string[];
}

/** Which receiver each severity pages in the example routing tree. */
const receiverBySeverity: Readonly<Record<Severity, string>> = {
  critical: 'metallb-page',
  warning: 'metallb-ticket',
  info: 'metallb-log',
};

const fallbackReceiver = 'default';

/** Alert name → the severities it is emitted with, after per-alert settings. */
function emittedAlerts(mixin: Mixin): Map<string, Set<string>> {
  const emitted = new Map<string, Set<string>>();
  for (const group of mixin.prometheusAlerts.groups) {
    for (const rule of group.rules) {
      const severities = emitted.get(rule.alert) ?? new Set<string>();
      severities.add(rule.labels['severity'] ?? '');
      emitted.set(rule.alert, severities);
    }
  }
  return emitted;
}

const quote = (value: string) => JSON.stringify(value);

function alertnameMatcher(names: readonly string[]): string {
  return names.length === 1 ? `alertname=${quote(names[0] ?? '')}` : `alertname=~${quote(names.join('|'))}`;
}

/** The alerts of a match that this build emits (with that severity, when it names one). */
function presentAlerts(match: AlertMatch, emitted: Map<string, Set<string>>): string[] {
  return match.alerts.filter((a) => {
    const severities = emitted.get(a);
    return severities !== undefined && (match.severity === undefined || severities.has(match.severity));
  });
}

/** The component's configured selector as Alertmanager matchers (same syntax for these operators). */
function componentMatchers(inhibition: Inhibition, cfg: MixinConfig): string[] {
  if (!inhibition.targetComponent) return [];
  const [selector] = selectorsOf(`{${cfg.selectors[inhibition.targetComponent]}}`);
  return (selector?.matchers ?? []).map((m) => `${m.label}${m.op}${quote(m.value)}`);
}

/**
 * The inhibition table turned into Alertmanager rules, keeping only alerts this config emits: a
 * disabled alert or a BGP mode that is off drops its side of a pair, and a pair with an empty side.
 */
function inhibitRules(mixin: Mixin, cfg: MixinConfig): { rule: InhibitRule; reason: string }[] {
  const emitted = emittedAlerts(mixin);
  const out: { rule: InhibitRule; reason: string }[] = [];
  for (const inhibition of inhibitions) {
    const sources = presentAlerts(inhibition.source, emitted);
    const targets = presentAlerts(inhibition.targets, emitted);
    if (sources.length === 0 || targets.length === 0) continue;
    const severity = (s: Severity | undefined) => (s ? [`severity=${quote(s)}`] : []);
    out.push({
      reason: inhibition.reason,
      rule: {
        source_matchers: [alertnameMatcher(sources), ...severity(inhibition.source.severity)],
        target_matchers: [alertnameMatcher(targets), ...severity(inhibition.targets.severity), ...componentMatchers(inhibition, cfg)],
        equal: [cfg.clusterLabel, ...inhibition.equal],
      },
    });
  }
  return out;
}

function commentedRules(rules: { rule: InhibitRule; reason: string }[], extra: Record<string, unknown> = {}): Document {
  const doc = new Document({ ...extra, inhibit_rules: rules.map((r) => r.rule) });
  const seq = doc.get('inhibit_rules') as YAMLSeq<Node>;
  seq.items.forEach((item, i) => {
    item.commentBefore = ` ${rules[i]?.reason ?? ''}`;
  });
  return doc;
}

/** `inhibit_rules:` to paste into an existing Alertmanager config. */
export function renderInhibitRules(mixin: Mixin, cfg: MixinConfig): string {
  return toYaml(commentedRules(inhibitRules(mixin, cfg)));
}

/**
 * A complete Alertmanager config: MetalLB alerts routed by severity to placeholder webhook
 * receivers, everything else to the default receiver, and the inhibitions.
 */
export function renderAlertmanagerExample(mixin: Mixin, cfg: MixinConfig): string {
  const severities = Object.keys(receiverBySeverity) as Severity[];
  const receiver = (name: string) => ({ name, webhook_configs: [{ url: `http://alert-receiver.invalid/${name}` }] });
  const route = {
    receiver: fallbackReceiver,
    group_by: ['alertname', cfg.clusterLabel],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '4h',
    routes: [
      {
        matchers: ['alertname=~"MetalLB.+"'],
        routes: severities.map((s) => ({
          matchers: [`severity=${quote(s)}`],
          receiver: receiverBySeverity[s],
          ...(s === 'critical' ? { repeat_interval: '1h' } : {}),
        })),
      },
    ],
  };
  const receivers = [receiver(fallbackReceiver), ...severities.map((s) => receiver(receiverBySeverity[s]))];
  return toYaml(commentedRules(inhibitRules(mixin, cfg), { route, receivers }));
}
