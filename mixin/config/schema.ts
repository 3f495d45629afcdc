import { Type, type Static } from '@sinclair/typebox';
import { generalProperties } from './sections/general.js';
import { bgpSection, selectorsSection } from './sections/selectors.js';
import { alertsSection, poolsSection, thresholdsSection } from './sections/alerts.js';
import { dashboardsSection } from './sections/dashboards.js';
import { outputsSection } from './sections/outputs.js';

/**
 * The one config every alert, rule and dashboard reads. The schema is the source: the TypeScript
 * type is derived from it, ajv validates user files against it, and the README table is generated
 * from its descriptions and defaults.
 */
export const configSchema = Type.Object(
  {
    ...generalProperties,
    selectors: selectorsSection,
    bgp: bgpSection,
    pools: poolsSection,
    thresholds: thresholdsSection,
    alerts: alertsSection,
    dashboards: dashboardsSection,
    outputs: outputsSection,
  },
  { additionalProperties: false, $id: 'metallb-mixin-config' },
);

export type MixinConfig = Static<typeof configSchema>;
export type AlertName = keyof MixinConfig['alerts'];
