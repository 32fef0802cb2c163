import { type ApiEndpoint, apiRequest } from "@flotilla/testbed";
import { type KubeObject, objectPath } from "./manifests.ts";

const fieldManager = "flotilla-argocd-harness";

/** Server-side applies each object in order (a namespace before what lives in it); throws with the API's answer. */
export async function applyObjects(endpoint: ApiEndpoint, objects: readonly KubeObject[]): Promise<void> {
  for (const object of objects) {
    const path = `${objectPath(object)}?fieldManager=${fieldManager}&force=true`;
    const res = await apiRequest(endpoint, path, {
      method: "PATCH",
      body: object,
      contentType: "application/apply-patch+yaml",
      timeoutMs: 30_000,
    });
    if (res.status >= 300) {
      throw new Error(`applying ${object.kind}/${object.metadata.name} failed: HTTP ${res.status} ${res.body}`);
    }
  }
}

/** Deletes by REST path; a missing object is fine (stopping twice, or a test that cleaned up). */
export async function deletePath(endpoint: ApiEndpoint, path: string, body?: unknown): Promise<void> {
  const res = await apiRequest(endpoint, path, { method: "DELETE", body, timeoutMs: 30_000 });
  if (res.status >= 300 && res.status !== 404) throw new Error(`DELETE ${path} failed: HTTP ${res.status} ${res.body}`);
}

/** GET of a list; `items` of the answer. */
export async function listItems<T = KubeObject>(endpoint: ApiEndpoint, path: string): Promise<T[]> {
  const res = await apiRequest(endpoint, path, { timeoutMs: 30_000 });
  if (res.status === 404) return [];
  if (res.status >= 300) throw new Error(`GET ${path} failed: HTTP ${res.status} ${res.body}`);
  return (JSON.parse(res.body) as { items: T[] }).items;
}

/** GET of one object, undefined when it does not exist. */
export async function getObject<T = KubeObject>(endpoint: ApiEndpoint, path: string): Promise<T | undefined> {
  const res = await apiRequest(endpoint, path, { timeoutMs: 30_000 });
  if (res.status === 404) return undefined;
  if (res.status >= 300) throw new Error(`GET ${path} failed: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body) as T;
}
