/**
 * The answers of the Prometheus HTTP API the tests and the bench read, as schemas: the one client
 * (`mixin/doctor/client.ts`) checks every answer against them before a caller sees it.
 */
import { Type, type Static } from '@sinclair/typebox';

const labelSet = Type.Record(Type.String(), Type.String());
const sampleValue = Type.Tuple([Type.Number(), Type.String()]);

export const vectorSample = Type.Object({ metric: labelSet, value: sampleValue });
export const matrixSeries = Type.Object({ metric: labelSet, values: Type.Array(sampleValue) });

export const queryResult = Type.Union([
  Type.Object({ resultType: Type.Literal('vector'), result: Type.Array(vectorSample) }),
  Type.Object({ resultType: Type.Literal('matrix'), result: Type.Array(matrixSeries) }),
  Type.Object({ resultType: Type.Union([Type.Literal('scalar'), Type.Literal('string')]), result: sampleValue }),
]);

const apiAlert = Type.Object({
  labels: labelSet,
  annotations: labelSet,
  state: Type.Union([Type.Literal('pending'), Type.Literal('firing')]),
  activeAt: Type.String(),
  value: Type.String(),
});

export const alertList = Type.Object({ alerts: Type.Array(apiAlert) });

const apiRule = Type.Object({
  type: Type.Union([Type.Literal('alerting'), Type.Literal('recording')]),
  name: Type.String(),
  query: Type.String(),
  health: Type.Union([Type.Literal('ok'), Type.Literal('err'), Type.Literal('unknown')]),
  lastError: Type.Optional(Type.String()),
  labels: Type.Optional(labelSet),
  /** Alerting rules only. */
  state: Type.Optional(Type.Union([Type.Literal('inactive'), Type.Literal('pending'), Type.Literal('firing')])),
  alerts: Type.Optional(Type.Array(apiAlert)),
});

const apiRuleGroup = Type.Object({
  name: Type.String(),
  file: Type.String(),
  rules: Type.Array(apiRule),
  evaluationTime: Type.Number(),
  lastEvaluation: Type.String(),
});

export const ruleGroups = Type.Object({ groups: Type.Array(apiRuleGroup) });

const apiTarget = Type.Object({
  labels: labelSet,
  scrapeUrl: Type.String(),
  health: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('unknown')]),
  lastError: Type.String(),
});

export const activeTargets = Type.Object({ activeTargets: Type.Array(apiTarget) });

export const seriesList = Type.Array(labelSet);
export const stringList = Type.Array(Type.String());

/**
 * A query answer with Prometheus's own account of its cost (`stats=all`), for the bench: the
 * result is counted, not read, so checking it item by item would only add to the time measured.
 */
export const measuredQuery = Type.Object({
  resultType: Type.String(),
  result: Type.Array(Type.Unknown()),
  stats: Type.Optional(
    Type.Object({
      timings: Type.Optional(Type.Object({ execTotalTime: Type.Optional(Type.Number()), evalTotalTime: Type.Optional(Type.Number()) })),
      samples: Type.Optional(
        Type.Object({ totalQueryableSamples: Type.Optional(Type.Number()), peakSamples: Type.Optional(Type.Number()) }),
      ),
    }),
  ),
});

/** One sample of an instant vector. */
export type VectorSample = Static<typeof vectorSample>;
/** One series of a range query. */
export type MatrixSeries = Static<typeof matrixSeries>;
export type QueryResult = Static<typeof queryResult>;
/** An entry of `/api/v1/alerts`: a pending or firing alert (resolved ones are not listed). */
export type ApiAlert = Static<typeof apiAlert>;
export type ApiRule = Static<typeof apiRule>;
export type ApiRuleGroup = Static<typeof apiRuleGroup>;
export type ApiTarget = Static<typeof apiTarget>;
export type MeasuredQuery = Static<typeof measuredQuery>;
