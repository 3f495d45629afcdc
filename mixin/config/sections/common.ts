import { Type, type TSchema } from '@sinclair/typebox';

/** A Prometheus duration such as `5m` or `1h30m`, as `for:` and range selectors accept it. */
const durationPattern = '^([0-9]+(ms|s|m|h|d|w|y))+$';

export const Duration = (defaultValue: string, description: string) =>
  Type.String({ pattern: durationPattern, default: defaultValue, description });

/**
 * A closed object whose fields all have defaults, so a user file may give any subset of it and an
 * unknown key is an error rather than a silent no-op.
 */
export const Section = <T extends Record<string, TSchema>>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, default: {}, description });

/** Free-form string → string labels (Kubernetes and Prometheus label maps). */
export const LabelMap = (description: string, defaultValue: Record<string, string> = {}) =>
  Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_./-]*$' }), Type.String(), { default: defaultValue, description });
