/**
 * The problem-only record contract, written once.
 *
 * A problem record holds one series per thing in trouble (a session down, a pod on a stale
 * configuration), with all of its labels and a value above 0, plus a heartbeat: a 0 per cluster,
 * so a healthy cluster shows that the rule evaluates. Three parties rely on that shape:
 * - the rules build it with `problemRecord` (the only place a heartbeat is written);
 * - alerts and panels read it with `problemsAbove`/`problemsAtLeast`, which keep values above 0, so
 *   the heartbeat never reaches them;
 * - the doctor judges such a rule by its problem part: `isHeartbeat` tells it which operand is the
 *   heartbeat, which proves the rule runs, not that the problem can be seen.
 */

/** One series per cluster and nothing else: `group by (cluster) (...)`, or a `cluster:` record. */
export type ClusterSeries = string & { readonly __oneSeriesPerCluster: true };

/**
 * A series the caller knows to hold one series per cluster (a `sum by (cluster)`, a record whose
 * level is `cluster:`), to build a heartbeat from.
 */
export const clusterSeries = (expr: string): ClusterSeries => expr as ClusterSeries;

/** The heartbeat: the cluster series times this factor, on the right of the product. */
const heartbeatOperator = { symbol: '*', node: 'Mul' } as const;
const heartbeatFactor = 0;

/** `<clusters> * 0`: the 0 per cluster of a problem record. */
export function heartbeat(clusters: ClusterSeries): string {
  return `${clusters} ${heartbeatOperator.symbol} ${heartbeatFactor}`;
}

/** `<problems> or <clusters> * 0`: a problem record's expression. */
export function problemRecord(problems: string, clusters: ClusterSeries): string {
  return `${problems}\nor\n${heartbeat(clusters)}`;
}

/**
 * A problem record written by several rules, each over a disjoint part of the problems
 * (RecordSpec.expr): the heartbeat comes with the last, so that it is written once.
 */
export function problemRecordParts(parts: readonly string[], clusters: ClusterSeries): string[] | undefined {
  const last = parts.at(-1);
  return last === undefined ? undefined : [...parts.slice(0, -1), problemRecord(last, clusters)];
}

/** `<record> > <threshold>`: the problems of a problem record, never its heartbeat. */
export function problemsAbove(record: string, threshold: number = 0): string {
  if (!(threshold >= 0))
    throw new Error(`a problem record is read above a threshold of at least 0, not ${threshold}: the heartbeat would pass`);
  return `${record} > ${threshold}`;
}

/** `<record> >= <n>`: the problems counted at least n times (n > 0, so never the heartbeat). */
export function problemsAtLeast(record: string, n: number): string {
  if (!(n > 0)) throw new Error(`a problem record is read at a count above 0, not ${n}: the heartbeat would pass`);
  return `${record} >= ${n}`;
}

/**
 * Whether a binary expression is a heartbeat, given its operator's syntax-node name and the value
 * of its right operand when that is a number literal: the doctor counts it as constant.
 */
export function isHeartbeat(operatorNode: string | undefined, rightLiteral: number | undefined): boolean {
  return operatorNode === heartbeatOperator.node && rightLiteral === heartbeatFactor;
}
