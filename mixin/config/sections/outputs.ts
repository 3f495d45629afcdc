import { Type } from '@sinclair/typebox';
import { durationPattern, KubernetesMap, Section } from './common.js';
import { outputFormats, defaultFormats } from '../../render/formats.js';

/** A Kubernetes object name or namespace: a DNS label (RFC 1123), as `kubectl` enforces it. */
const DnsLabel = (defaultValue: string, description: string) =>
  Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63, default: defaultValue, description });

const ServiceAccountRef = Section(
  {
    name: DnsLabel(
      'prometheus-k8s',
      'Name of the ServiceAccount Prometheus scrapes with (kube-prometheus: `prometheus-k8s`; kube-prometheus-stack: `<release>-prometheus`).',
    ),
    namespace: DnsLabel('monitoring', 'Namespace of that ServiceAccount.'),
  },
  'The Prometheus ServiceAccount granted `get` on `/metrics`, which MetalLB >= 0.16 authorizes with a SubjectAccessReview.',
);

/** Options of the artifacts written beside the rule files and dashboards (Kubernetes manifests, Alertmanager). */
export const outputsSection = Section(
  {
    formats: Type.Array(Type.Union(outputFormats.map((f) => Type.Literal(f.name))), {
      uniqueItems: true,
      default: [...defaultFormats],
      description: `Which outputs to write (the CLI's \`--format\` overrides this). ${outputFormats.map((f) => `\`${f.name}\`: ${f.files}`).join('; ')}. All but \`grafana-operator\` by default.`,
    }),
    prometheusRule: Section(
      {
        name: DnsLabel('metallb-mixin-rules', 'Name of the PrometheusRule.'),
        namespace: DnsLabel('monitoring', 'Namespace of the PrometheusRule.'),
        labels: KubernetesMap(
          'Labels of the PrometheusRule. A map given here replaces the defaults, it does not add to them. The defaults are those kube-prometheus gives its own rules (kube-prometheus selects every PrometheusRule: its `ruleSelector` is `{}`); kube-prometheus-stack selects rules by `release: <its release name>`: set that label here.',
          { prometheus: 'k8s', role: 'alert-rules' },
        ),
      },
      'The Prometheus Operator `PrometheusRule` holding every alert and recording rule (format `prometheus-operator`).',
    ),
    dashboardConfigMaps: Section(
      {
        namespace: DnsLabel('monitoring', "Namespace of the ConfigMaps: the one Grafana's dashboard sidecar watches."),
        labels: KubernetesMap(
          'Labels of each ConfigMap; the Grafana sidecar of kube-prometheus-stack loads ConfigMaps labelled `grafana_dashboard: "1"`.',
          {
            grafana_dashboard: '1',
          },
        ),
        annotations: KubernetesMap(
          'Annotations of each ConfigMap, e.g. `grafana_folder: MetalLB` when the sidecar has `folderAnnotation: grafana_folder`.',
        ),
      },
      'One ConfigMap per dashboard for the Grafana sidecar (format `prometheus-operator`).',
    ),
    grafanaOperator: Section(
      {
        namespace: DnsLabel('monitoring', 'Namespace of the GrafanaDashboard resources.'),
        instanceSelector: KubernetesMap(
          '`spec.instanceSelector.matchLabels`: the labels of the Grafana resources that import the dashboards.',
          {
            dashboards: 'grafana',
          },
        ),
        folder: Type.String({ minLength: 1, default: 'MetalLB', description: 'Grafana folder the dashboards are imported into.' }),
        allowCrossNamespaceImport: Type.Boolean({
          default: false,
          description: 'Let Grafana instances in other namespaces import the dashboards.',
        }),
      },
      'grafana-operator `GrafanaDashboard` (v1beta1) resources (format `grafana-operator`, off by default).',
    ),
    monitors: Section(
      {
        namespace: DnsLabel('metallb-system', 'Namespace MetalLB runs in; the example Services and ServiceMonitors go there.'),
        frrK8sNamespace: DnsLabel(
          'metallb-system',
          'Namespace of the frr-k8s DaemonSet: `metallb-system` when the MetalLB chart installs it, `frr-k8s-system` for a standalone install.',
        ),
        labels: KubernetesMap('Labels of the ServiceMonitors, e.g. `release: kube-prometheus-stack` for the Helm stack.'),
        interval: Type.String({ pattern: durationPattern, default: '30s', description: 'Scrape interval of every endpoint.' }),
        podSelectors: Section(
          {
            controller: KubernetesMap(
              'Labels of the controller pod (Helm chart defaults; kustomize: `app: metallb, component: controller`).',
              {
                'app.kubernetes.io/name': 'metallb',
                'app.kubernetes.io/component': 'controller',
              },
            ),
            speaker: KubernetesMap('Labels of the speaker pods (Helm chart defaults; kustomize: `app: metallb, component: speaker`).', {
              'app.kubernetes.io/name': 'metallb',
              'app.kubernetes.io/component': 'speaker',
            }),
            frrK8s: KubernetesMap('Labels of the frr-k8s pods (Helm chart defaults; kustomize: `app: frr-k8s, component: frr-k8s`).', {
              'app.kubernetes.io/name': 'frr-k8s',
              'app.kubernetes.io/component': 'frr-k8s',
            }),
          },
          'Selectors of the example Services, one per component.',
        ),
        prometheusServiceAccount: ServiceAccountRef,
      },
      'The example scrape objects (format `monitors`).',
    ),
  },
  'Which outputs to write, and options of the Kubernetes and Alertmanager artifacts.',
);
