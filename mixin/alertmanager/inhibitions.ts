import type { Component } from '../catalogue.js';
import type { AlertName } from '../config/schema.js';
import type { Severity } from '../types.js';

/** One side of an inhibition: alert names, optionally narrowed to a severity. */
export interface AlertMatch {
  readonly alerts: readonly AlertName[];
  readonly severity?: Severity;
}

/**
 * While a `source` alert fires, Alertmanager mutes the `targets` that share the `equal` labels
 * (the cluster label is always added), so one fault pages once.
 */
export interface Inhibition {
  /** Why the targets are redundant; written as a comment above the rule. */
  readonly reason: string;
  readonly source: AlertMatch;
  readonly targets: AlertMatch;
  /** Labels naming the object both alerts are about; both alerts carry them. */
  readonly equal: readonly string[];
  /** Restrict the targets to the series of one component, through its configured selector. */
  readonly targetComponent?: Component;
}

export const inhibitions: readonly Inhibition[] = [
  {
    reason: 'An exhausted pool is also a pool with high usage and no headroom.',
    source: { alerts: ['MetalLBAddressPoolExhausted'] },
    targets: { alerts: ['MetalLBAddressPoolUsageHigh', 'MetalLBAddressPoolHeadroomLow'] },
    equal: ['pool', 'family'],
  },
  {
    reason: 'The critical usage alert of a pool supersedes its warnings.',
    source: { alerts: ['MetalLBAddressPoolUsageHigh'], severity: 'critical' },
    targets: { alerts: ['MetalLBAddressPoolUsageHigh', 'MetalLBAddressPoolHeadroomLow'], severity: 'warning' },
    equal: ['pool', 'family'],
  },
  {
    reason: 'A session that is down announces nothing and may flap while it retries.',
    source: { alerts: ['MetalLBBGPSessionDown'] },
    targets: { alerts: ['MetalLBBGPNoPrefixesAnnounced', 'MetalLBBGPPrefixesPending', 'MetalLBBGPSessionFlapping'] },
    equal: ['peer', 'vrf', 'instance', 'pod'],
  },
  {
    reason: 'A controller that is down cannot load its configuration nor talk to the API server.',
    source: { alerts: ['MetalLBControllerDown'] },
    targets: { alerts: ['MetalLBConfigNotLoaded', 'MetalLBConfigStale', 'MetalLBK8sClientErrorsHigh'] },
    equal: [],
    targetComponent: 'controller',
  },
];
