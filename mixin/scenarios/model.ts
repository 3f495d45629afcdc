import type { MixinConfig } from '../config/schema.js';
import { labelsSatisfying } from './labels.js';

/** One input series of a scenario: the metric, its labels, and its value while healthy and while faulty. */
export interface ScenarioSeries {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly healthy: number;
  readonly faulty: number;
}

/**
 * The fault an alert detects, as the input series expressing it. The series of the faulty
 * target are `faulty`; the alert fires once per faulty series, carrying these labels (the ones
 * the alert keeps are listed in `keep`).
 */
export interface AlertScenario {
  readonly alert: string;
  /** What goes wrong, in a test name. */
  readonly fault: string;
  /** The series whose fault fires the alert, one alert each. */
  readonly faulty: readonly ScenarioSeries[];
  /** Series present in the cluster that stay healthy and must not fire. */
  readonly bystanders: readonly ScenarioSeries[];
  /** Labels of a faulty series the fired alert carries, besides the cluster label. */
  readonly keep: readonly string[];
}

const podLabels = (component: 'controller' | 'speaker') =>
  component === 'controller'
    ? { namespace: 'metallb-system', pod: 'controller-7c9d8f6b5-xk2lp', instance: '10.244.2.7:9120' }
    : { namespace: 'metallb-system', pod: 'metallb-speaker-7xk2p', instance: '10.0.0.11:9120' };

/** A series of `metric` that the configured selector of `component` selects. */
function componentSeries(
  cfg: MixinConfig,
  component: 'controller' | 'speaker',
  metric: string,
  healthy: number,
  faulty: number,
): ScenarioSeries {
  const prefer = {
    container: component,
    endpoint: 'metricshttps',
    job: component === 'controller' ? 'controller-monitor-service' : 'metallb',
  };
  const selected = labelsSatisfying(cfg.selectors[component], prefer);
  return { metric, labels: { ...podLabels(component), ...selected }, healthy, faulty };
}

const podIdentity = ['job', 'namespace', 'pod', 'instance', 'container', 'endpoint'];

/** Every alert fault the model describes; an alert of the build without one here is untested. */
export function alertScenarios(cfg: MixinConfig): AlertScenario[] {
  return [
    {
      alert: 'MetalLBConfigStale',
      fault: 'the controller runs on a stale configuration',
      faulty: [componentSeries(cfg, 'controller', 'metallb_k8s_client_config_stale_bool', 0, 1)],
      bystanders: [componentSeries(cfg, 'speaker', 'metallb_k8s_client_config_stale_bool', 0, 1)],
      keep: podIdentity,
    },
    {
      alert: 'MetalLBConfigNotLoaded',
      fault: 'the speaker has never loaded its configuration',
      faulty: [componentSeries(cfg, 'speaker', 'metallb_k8s_client_config_loaded_bool', 1, 0)],
      bystanders: [componentSeries(cfg, 'controller', 'metallb_k8s_client_config_loaded_bool', 1, 0)],
      keep: podIdentity,
    },
  ];
}
