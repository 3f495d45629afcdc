import type { MixinConfig } from '../config/schema.js';
import type { Mixin } from '../types.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The alert reference (name, severity, for, meaning), from the built mixin itself. */
export function renderAlertsTable(mixin: Mixin, cfg: MixinConfig): string {
  const lines = ['| alert | group | severity | for | meaning |', '|---|---|---|---|---|'];
  for (const group of mixin.prometheusAlerts.groups) {
    for (const rule of group.rules) {
      const anchor = rule.alert.toLowerCase();
      lines.push(
        `| [${rule.alert}](runbooks.md#${anchor}) | ${group.name} | ${rule.labels['severity'] ?? ''} | ${rule.for} | ${cell(rule.annotations['summary'] ?? '')} |`,
      );
    }
  }
  const disabled = Object.entries(cfg.alerts).filter(([, s]) => !s.enabled).map(([name]) => name);
  if (disabled.length > 0) lines.push('', `Disabled by default: ${disabled.join(', ')}.`);
  return lines.join('\n');
}
