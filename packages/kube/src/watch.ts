import type { KubeConfig, RequestContext, Watch } from "@kubernetes/client-node";
import { clientNode } from "./client-node.ts";
import { collectionPath, type Discovery } from "./discovery.ts";
import type { PooledAuthentication } from "./pooled-auth.ts";

/** One watch request: a kind across all namespaces, from a version or (without one) from a fresh list. */
export interface WatchRequest {
  apiVersion: string;
  kind: string;
  labelSelector?: string;
  /** Resume after this version; undefined lists every matching object first (ADDED events). */
  resourceVersion?: string | undefined;
  /** The server ends the request after this many seconds. */
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
}

/** A watch event as the server sent it: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (with a Status object). */
export type WatchEventHandler = (phase: string, object: unknown) => void;

/** Called once when the request ends: null after a clean end, the error otherwise. */
export type WatchDoneHandler = (err: unknown) => void;

/**
 * Opens watches on one cluster. The kind's resource is found through the cluster's discovery cache, shared with
 * apply, prune and health: a watch that is reopened every `timeoutSeconds` asks the server for nothing but the
 * watch itself.
 */
export class Watcher {
  readonly #watch: Watch;
  readonly #discovery: Discovery;

  /** `authentication`: the cluster's, so that watches reuse the connections its other requests opened. */
  constructor(authentication: PooledAuthentication, discovery: Discovery) {
    // Watch asks its config only for the current cluster and to authenticate each request. Its answers are asked
    // for uncompressed: the API server gzips a watch's stream when allowed, and inflating every event of every
    // watched object took a busy worker more CPU than the events' bytes cost on the wire.
    const config = {
      getCurrentCluster: () => authentication.getCurrentCluster(),
      applySecurityAuthentication: async (context: RequestContext) => {
        await authentication.applySecurityAuthentication(context);
        context.setHeaderParam("Accept-Encoding", "identity");
      },
    };
    this.#watch = new (clientNode().Watch)(config as unknown as KubeConfig);
    this.#discovery = discovery;
  }

  /** Resolves once the server answered the request; abort the controller to end it. */
  async watch(request: WatchRequest, onEvent: WatchEventHandler, onDone: WatchDoneHandler): Promise<AbortController> {
    const info = await this.#discovery.resolve(request.apiVersion, request.kind);
    const query: Record<string, string | number | boolean> = {};
    if (request.labelSelector !== undefined) query["labelSelector"] = request.labelSelector;
    if (request.resourceVersion !== undefined) query["resourceVersion"] = request.resourceVersion;
    if (request.timeoutSeconds !== undefined) query["timeoutSeconds"] = request.timeoutSeconds;
    if (request.allowWatchBookmarks !== undefined) query["allowWatchBookmarks"] = request.allowWatchBookmarks;
    return this.#watch.watch(collectionPath(info), query, onEvent, onDone);
  }
}
