import { parseAllDocuments } from 'yaml';

/** A parsed Kubernetes object: only the fields every object has are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** RFC 1123 DNS label, the strictest name rule Kubernetes applies (Services, namespaces, volumes). */
export const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Every document of a multi-document YAML file, failing on a YAML error or on an object without
 * apiVersion, kind and a DNS-valid metadata.name (and namespace, when set).
 */
export function parseManifests(text: string, file: string): K8sObject[] {
  return parseAllDocuments(text).map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${file} document ${i}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const obj = doc.toJS() as Partial<K8sObject> | null;
    const where = `${file} document ${i}`;
    if (!obj || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') throw new Error(`${where}: no apiVersion/kind`);
    const name = obj.metadata?.name;
    if (typeof name !== 'string' || name.length > 63 || !dnsLabel.test(name))
      throw new Error(`${where}: metadata.name ${String(name)} is not a DNS label`);
    const ns = obj.metadata?.namespace;
    if (ns !== undefined && !dnsLabel.test(ns)) throw new Error(`${where}: metadata.namespace ${ns} is not a DNS label`);
    return obj as K8sObject;
  });
}
