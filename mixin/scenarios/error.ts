/** The scenario model cannot describe a test this build needs: a config it cannot sample, or an alert or record it has no case for. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}
