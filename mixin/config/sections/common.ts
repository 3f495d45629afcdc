import { Type, type TSchema } from '@sinclair/typebox';

/**
 * A Prometheus duration such as `5m` or `1h30m`, as `for:` and range selectors accept it: units
 * from the largest to the smallest, each at most once (Prometheus refuses `5m1h`).
 */
export const durationPattern = '^(?!$)([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$';

export const Duration = (defaultValue: string, description: string) =>
  Type.String({ pattern: durationPattern, default: defaultValue, description });

/**
 * A closed object whose fields all have defaults, so a user file may give any subset of it and an
 * unknown key is an error rather than a silent no-op.
 */
export const Section = <T extends Record<string, TSchema>>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, default: {}, description });

/**
 * Kubernetes labels or annotations. Keys and values are checked in semantics.ts, which can say
 * what is wrong with them (a schema pattern on keys would only report an "unknown key").
 */
export const KubernetesMap = (description: string, defaultValue: Record<string, string> = {}) =>
  Type.Record(Type.String(), Type.String(), { default: defaultValue, description });
