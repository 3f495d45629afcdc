/**
 * The rules the Kubernetes API server applies to label and annotation keys and values
 * (k8s.io/apimachinery validation), so a manifest we write is one `kubectl apply` accepts.
 */

const nameRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nameMax = 63;
const prefixMax = 253;
/** The API server's limit on all annotations of one object, keys and values together. */
const annotationBytesMax = 256 * 1024;

/** What is wrong with a label or annotation key (`[prefix/]name`), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'at most one "/" (an optional DNS-subdomain prefix, then the name)';
  const [prefix, name] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : [undefined, parts[0] ?? ''];
  if (prefix !== undefined) {
    if (prefix === '') return 'the prefix before "/" is empty';
    if (prefix.length > prefixMax) return `the prefix is longer than ${prefixMax} characters`;
    if (!dnsSubdomainRe.test(prefix))
      return 'the prefix before "/" must be a DNS subdomain: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
  if (name === '') return 'the name is empty';
  if (name.length > nameMax) return `the name is longer than ${nameMax} characters`;
  if (!nameRe.test(name)) return 'the name may hold only letters, digits, "-", "_" and ".", and must start and end with a letter or digit';
  return undefined;
}

/** What is wrong with a label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > nameMax) return `longer than ${nameMax} characters`;
  if (value !== '' && !nameRe.test(value))
    return 'may hold only letters, digits, "-", "_" and ".", and must start and end with a letter or digit (or be empty)';
  return undefined;
}

export interface KubernetesMapIssue {
  /** The key the problem is about. */
  readonly key: string;
  readonly message: string;
}

/** Every problem of a label map (`kind: 'labels'`) or an annotation map. */
export function kubernetesMapIssues(map: Readonly<Record<string, string>>, kind: 'labels' | 'annotations'): KubernetesMapIssue[] {
  const issues: KubernetesMapIssue[] = [];
  for (const [key, value] of Object.entries(map)) {
    // The API server checks annotation keys lower-cased: upper-case letters are fine there.
    const keyProblem = qualifiedNameProblem(kind === 'annotations' ? key.toLowerCase() : key);
    if (keyProblem) issues.push({ key, message: `not a valid ${kind === 'labels' ? 'label' : 'annotation'} key: ${keyProblem}` });
    const valueProblem = kind === 'labels' ? labelValueProblem(value) : undefined;
    if (valueProblem)
      issues.push({
        key,
        message: `label value ${JSON.stringify(value)} is ${valueProblem.startsWith('longer') ? '' : 'invalid: it '}${valueProblem}`,
      });
  }
  if (kind === 'annotations') {
    const bytes = Object.entries(map).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (bytes > annotationBytesMax)
      issues.push({ key: '', message: `annotations total ${bytes} bytes, above the API server's limit of ${annotationBytesMax}` });
  }
  return issues;
}
