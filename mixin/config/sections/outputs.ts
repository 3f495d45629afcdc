import { Section } from './common.js';

/** Options of the artifacts written beside the rule files and dashboards (Kubernetes manifests, Alertmanager). */
export const outputsSection = Section({}, 'Options of the Kubernetes and Alertmanager artifacts.');
