import type { MixinConfig } from '../mixin/config/schema.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { duplicateAnnouncersRecord, notAnnouncedRecord } from '../rules/announcements.js';
import { inCluster } from './templates.js';

/**
 * Service addresses nobody announces, and layer-2 addresses announced twice.
 *
 * Both read problem-only series that metallb-announcements-rules records (see there for the two
 * sources of "allocated but not announced"), so they cost nothing when healthy and lag one
 * evaluation behind the raw series.
 */
export function announcementAlerts(cfg: MixinConfig): AlertGroupDefinition {
  return {
    name: 'metallb-announcements',
    alerts: [
      {
        alert: 'MetalLBAddressesNotAnnounced',
        severity: 'warning',
        expr: `${notAnnouncedRecord} > 0`,
        summary: 'A MetalLB LoadBalancer address is not announced.',
        description: `{{ with $labels.ip }}LoadBalancer address {{ . }} of Service {{ $labels.namespace }}/{{ $labels.service }}{{ else }}{{ $value | humanize }} LoadBalancer addresses allocated by MetalLB{{ end }}${inCluster(cfg)} {{ if $labels.ip }}is{{ else }}are{{ end }} announced by no speaker and unreachable from outside the cluster. A Service without ready endpoints is not announced either; otherwise check the L2Advertisements/BGPAdvertisements of its pool and the speakers.`,
      },
      {
        alert: 'MetalLBL2DuplicateAnnouncer',
        severity: 'warning',
        expr: `${duplicateAnnouncersRecord} > 1`,
        summary: 'A MetalLB layer-2 address is announced by more than one node.',
        description: `Layer-2 address {{ $labels.ip }}${inCluster(cfg)} is announced by {{ $value | humanize }} nodes at once: clients' ARP/NDP caches flip between them and connections break.`,
      },
    ],
  };
}
