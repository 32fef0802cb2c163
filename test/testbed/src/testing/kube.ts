import { randomBytes } from "node:crypto";
import {
  type ConfigurationOptions,
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  Observable,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";
import type { ClusterInfo } from "../cluster.ts";

/** Helpers for the bed's own integration tests, written against @kubernetes/client-node 2.x. */

export const fieldManager = "flotilla";

export function kubeConfigFor(cluster: ClusterInfo): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  return kc;
}

/** Per-request options that abort the request after `ms`: a paused server never answers otherwise. */
export function timeoutAfter(ms: number): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(AbortSignal.timeout(ms));
          return new Observable(Promise.resolve(context));
        },
        post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: "append",
  };
}

/** Server-side apply with Flotilla's field manager, taking over conflicting fields as Flotilla's sync does. */
export function serverSideApply<T extends KubernetesObject>(kc: KubeConfig, object: T): Promise<T> {
  return KubernetesObjectApi.makeApiClient(kc).patch(
    object,
    undefined,
    undefined,
    fieldManager,
    true,
    PatchStrategy.ServerSideApply,
  );
}

/** A fresh namespace, so that tests sharing the run's clusters never see each other's objects. */
export async function createTestNamespace(kc: KubeConfig, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}

export { eventually } from "../eventually.ts";
