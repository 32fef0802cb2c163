/** A registered cluster as generators see it: identity and the labels ApplicationSets select on. */
export interface Cluster {
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
