const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a valid Kubernetes object name (DNS-1123 subdomain), or undefined when it is. */
export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return "must not be empty";
  if (name.length > 253) return `is ${name.length} characters; expected at most 253`;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return "expected lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** Why `name` is not a valid DNS-1123 label (namespaces), or undefined when it is. */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length === 0) return "must not be empty";
  if (name.length > 63) return `is ${name.length} characters; expected at most 63`;
  if (!DNS1123_LABEL.test(name)) {
    return "expected lower-case letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * Why `name` cannot name a cluster, or undefined when it can. The one cluster-name rule, wherever a cluster is
 * named (the registry, a clusters file, an agent's `FLOTILLA_CLUSTER`, queue names): a DNS-1123 subdomain, as a
 * Kubernetes object name. That keeps it safe in BullMQ queue names (never a ':', which separates key parts) and in
 * Redis keys, and lets `prod.eu-west` style names through.
 */
export function clusterNameProblem(name: string): string | undefined {
  return dns1123SubdomainProblem(name);
}

/** Whether `name` follows the cluster-name rule (`clusterNameProblem`). */
export function isClusterName(name: string): boolean {
  return clusterNameProblem(name) === undefined;
}
