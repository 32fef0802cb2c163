import { type ApiEndpoint, apiRequest } from "@flotilla/testbed";

/** What a test compares across a fault: the same uid means never deleted and re-created. */
export interface LiveObject {
  uid: string;
  generation: number | undefined;
  data: Record<string, string> | undefined;
  annotations: Record<string, string>;
}

/** One object read from a cluster by its API path, or undefined when the cluster says it is not there. */
export async function liveObject(cluster: ApiEndpoint, path: string): Promise<LiveObject | undefined> {
  const res = await apiRequest(cluster, path);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 300)}`);
  const object = JSON.parse(res.body) as {
    metadata: { uid: string; generation?: number; annotations?: Record<string, string> };
    data?: Record<string, string>;
  };
  return {
    uid: object.metadata.uid,
    generation: object.metadata.generation,
    data: object.data,
    annotations: object.metadata.annotations ?? {},
  };
}

export const configMapPath = (namespace: string, name: string) => `/api/v1/namespaces/${namespace}/configmaps/${name}`;
export const deploymentPath = (namespace: string, name: string) =>
  `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;

/** Elapsed seconds since `since` (a `performance.now()`), for a row's time to recover. */
export const secondsSince = (since: number) => (performance.now() - since) / 1000;
