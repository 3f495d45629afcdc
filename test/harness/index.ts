/**
 * The end-to-end harness: a simulated MetalLB installation, the real Prometheus scraping it, a
 * stand-in Alertmanager, and the dashboard query expander. Import from here; the module layout
 * behind it may change, these names will not.
 */
export { MetalLBSimulator, defaultCluster } from './simulator.js';
export type { ClusterSpec, InstallStyle, ScrapeConfig, SimTarget, SimulatorOptions, TargetKind } from './simulator.js';
export { startPrometheus, waitFor, freePort, PrometheusServer, PrometheusApiError } from './prometheus.js';
export type {
  ApiAlert,
  ApiRule,
  ApiRuleGroup,
  ApiTarget,
  MatrixSeries,
  PrometheusOptions,
  QueryResult,
  VectorSample,
  WaitOptions,
} from './prometheus.js';
export { AlertReceiver } from './alert-receiver.js';
export type { ReceivedAlert } from './alert-receiver.js';
export { expandResolved as expandVariables } from '../../mixin/grafana/expand.js';
export { dashboardQueries } from './dashboards.js';
export type { DashboardQuery } from './dashboards.js';
export { resolveVariables, variableMap } from './variables.js';
export type { BuiltinVariables, VariableValue } from './variables.js';
export { AlertRecorder, alertKey } from './alert-recorder.js';
export type { AlertObservation } from './alert-recorder.js';
export { absenceExplanation, checkQuery, componentsFor } from './coverage.js';
export type { InstallFacts, QueryOutcome } from './coverage.js';
export { Stack } from './stack.js';
export type { StackOptions } from './stack.js';
