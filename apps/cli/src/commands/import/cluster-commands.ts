import type { ClusterRegistration } from "@flotilla/import";

/** The `flotilla cluster add` line registering one imported cluster from its written kubeconfig. */
export function clusterAddCommand(cluster: ClusterRegistration, kubeconfigPath: string): string {
  const labels = Object.entries(cluster.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => ` --label ${shellQuote(`${k}=${v}`)}`)
    .join("");
  return `flotilla cluster add ${shellQuote(cluster.name)} --kubeconfig ${shellQuote(kubeconfigPath)}${labels}`;
}

/** Quoted for a POSIX shell only when needed, so the common line stays readable. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
