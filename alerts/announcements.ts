import type { MixinConfig } from '../mixin/config/schema.js';
import { Query } from '../mixin/promql/query.js';
import type { AlertGroupDefinition } from '../mixin/types.js';
import { announcersRecord } from '../rules/announcements.js';
import { PoolCapacity } from '../rules/pool-capacity.js';
import { inCluster } from './templates.js';

/**
 * Service addresses nobody announces, and layer-2 addresses announced twice.
 *
 * "Allocated but not announced" has two sources. kube-state-metrics names each LoadBalancer
 * ingress IP and its Service, so where it reports any, each IP is checked against the speakers'
 * announcements (exact, and the alert names the Service). Without it, the allocator's in-use
 * count is compared with the number of distinct announced IPs: it tells how many, not which.
 * Both are limited to clusters that run MetalLB, so other clusters' Services never alert.
 *
 * Both alerts read the announcers per IP that metallb-announcements-rules records (one series per
 * IP instead of one per node and Service; one evaluation behind the raw series).
 */
export function announcementAlerts(cfg: MixinConfig): AlertGroupDefinition {
  const q = Query.forRules(cfg);
  const cluster = q.by();
  const ingress = q.metric('kube_service_status_load_balancer_ingress', undefined, 'ip!=""');
  const inUse = `sum by (${cluster}) (${new PoolCapacity(q).pool('metallb_allocator_addresses_in_use_total')})`;
  const announcedIPs = `count by (${cluster}) (group by (${q.by('ip')}) (${announcersRecord}))`;

  return {
    name: 'metallb-announcements',
    alerts: [
      {
        alert: 'MetalLBAddressesNotAnnounced',
        severity: 'warning',
        // One rule (promtool rejects two alike): per ingress IP where kube-state-metrics reports
        // some in the cluster, else the count. With no speaker announcing anything, count() is
        // empty, so the count side falls back to 0 announced IPs.
        expr: [
          `(`,
          `  max by (${q.by('namespace', 'service', 'ip')}) (${ingress})`,
          `  unless on (${q.by('ip')})`,
          `  ${announcersRecord}`,
          `  and on (${cluster})`,
          `  ${inUse} > 0`,
          `)`,
          `or`,
          `(`,
          `  (`,
          `    ${inUse}`,
          `    - on (${cluster})`,
          `    (${announcedIPs} or on (${cluster}) ${inUse} * 0)`,
          `  ) > 0`,
          `  unless on (${cluster})`,
          `  group by (${cluster}) (${ingress})`,
          `)`,
        ].join('\n'),
        summary: 'A MetalLB LoadBalancer address is not announced.',
        description: `{{ with $labels.ip }}LoadBalancer address {{ . }} of Service {{ $labels.namespace }}/{{ $labels.service }}{{ else }}{{ $value | humanize }} LoadBalancer addresses allocated by MetalLB{{ end }}${inCluster(cfg)} {{ if $labels.ip }}is{{ else }}are{{ end }} announced by no speaker and unreachable from outside the cluster. A Service without ready endpoints is not announced either; otherwise check the L2Advertisements/BGPAdvertisements of its pool and the speakers.`,
      },
      {
        alert: 'MetalLBL2DuplicateAnnouncer',
        severity: 'warning',
        expr: `max by (${q.by('ip')}) (${announcersRecord}{protocol="layer2"}) > 1`,
        summary: 'A MetalLB layer-2 address is announced by more than one node.',
        description: `Layer-2 address {{ $labels.ip }}${inCluster(cfg)} is announced by {{ $value | humanize }} nodes at once: clients' ARP/NDP caches flip between them and connections break.`,
      },
    ],
  };
}
