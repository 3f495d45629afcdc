import { Type } from '@sinclair/typebox';
import { bgpModes } from '../../catalogue.js';
import { Section } from './common.js';

const Matchers = (defaultValue: string, description: string) => Type.String({ minLength: 1, default: defaultValue, description });

/**
 * Label matchers, inserted between `{}` in every query of a component. The defaults match the
 * `job` labels that MetalLB's Helm chart ServiceMonitors and its kustomize manifests produce.
 */
export const selectorsSection = Section(
  {
    controller: Matchers(
      'job=~"(.+-)?controller-monitor-service"',
      'The MetalLB controller (allocator metrics, its k8s client). Helm: `<fullname>-controller-monitor-service`, i.e. `metallb-controller-monitor-service` for a release named `metallb` (`lb-metallb-...` for a release `lb`); kustomize: `controller-monitor-service`.',
    ),
    speaker: Matchers(
      'job=~"metallb|(.+-)?speaker-monitor-service",container!~"frr-metrics|kube-rbac-proxy-frr"',
      'The MetalLB speaker container (announcements, layer 2, native BGP, its k8s client). Helm chart >= 0.14.6 and the MetalLB operator: `metallb`; chart <= 0.14.5 and 0.13.x: `<fullname>-speaker-monitor-service`; kustomize: `speaker-monitor-service`. The container matcher keeps the FRR-mode sidecar, which shares the job, out (and its kube-rbac-proxy on <= 0.15). Helm PodMonitors label the controller `job="metallb"` too: then use `job="metallb",container="speaker"` here and `job="metallb",container="controller"` for the controller, or let `metallb-mixin doctor` write them.',
    ),
    frrMetrics: Matchers(
      'job=~"metallb|(.+-)?speaker-monitor-service",container=~"frr-metrics|kube-rbac-proxy-frr"',
      'The `frr-metrics` sidecar of the speaker pod in FRR mode (deprecated in 0.16): `metallb_bgp_*`/`metallb_bfd_*` with a `vrf` label. On <= 0.15 with kube-rbac-proxy its endpoint belongs to the `kube-rbac-proxy-frr` container.',
    ),
    frrK8s: Matchers(
      'job=~"(.+-)?frr-k8s-monitor-service|frr-k8s-metrics-service"',
      'The frr-k8s DaemonSet (MetalLB >= 0.16 default BGP mode): `frrk8s_*` metrics, or `metallb_*` when relabelled. Helm subchart: `<release>-frr-k8s-frr-k8s-monitor-service`, i.e. `metallb-frr-k8s-frr-k8s-monitor-service` for a release named `metallb`; kustomize: `frr-k8s-metrics-service`.',
    ),
    kubeStateMetrics: Matchers(
      'job="kube-state-metrics"',
      'kube-state-metrics, used where present to know nodes, taints and LoadBalancer Services. Alerts that join it stay silent without it.',
    ),
  },
  'Label matchers per component, inserted between `{}` in every query.',
);

export const bgpSection = Section(
  {
    modes: Type.Array(Type.Union(bgpModes.map((m) => Type.Literal(m))), {
      minItems: 1,
      uniqueItems: true,
      default: [...bgpModes],
      description:
        'BGP back-ends to query. `native`: speaker `metallb_bgp_*` (peer `IP:port`); `frr`: the FRR-mode sidecar; `frr-k8s`: `frrk8s_bgp_*` from frr-k8s (0.16 default); `frr-k8s-relabelled`: frr-k8s series renamed to `metallb_*` by the operator or kustomize (peer without port). All by default; drop the ones you do not run to make queries cheaper.',
    }),
    nativePeerMatcher: Type.String({
      default: 'peer=~".+:[0-9]+"',
      description:
        'Extra matcher on native-mode series. MetalLB 0.15 left a stale `peer="IP"` series at 0 beside the real `IP:port` one (metallb#2806); this keeps only the real one for IPv4. An IPv6 peer is written without brackets (`fd00::1:179`), so its stale `fd00::1` passes this matcher: the rules drop it because another series of the pod is `fd00::1` and a port. Set to `peer=~".+"` to disable.',
    }),
  },
  'Which BGP/BFD metric families exist in your clusters.',
);
