import type { Configuration, KubeConfig } from "@kubernetes/client-node";
import { clientNode } from "./client-node.ts";
import { ApiError, statusFromBody } from "./errors/api-error.ts";
import { ClusterUnreachable } from "./errors/cluster-unreachable.ts";
import { loadKubeconfig } from "./kubeconfig.ts";
import type { ObjectRef } from "./object.ts";
import { type FixedCredentials, PooledAuthentication } from "./pooled-auth.ts";

export interface RawRequest {
  method: "GET" | "PATCH" | "DELETE" | "POST";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
  /** The object concerned, so API errors name it. */
  ref?: ObjectRef;
}

/**
 * JSON over client-node's own HTTP stack and kubeconfig authentication (certificates, tokens, exec plugins),
 * without its typed (de)serializer: that one drops fields it has no model for (`x-kubernetes-*` in a CRD schema,
 * anything in a custom resource) and turns timestamps into Dates, which would corrupt both apply and drift.
 */
/** Told after each request whether the cluster answered: what a worker last saw of it (its metrics say so). */
export type ReachabilityObserver = (reachable: boolean) => void;

/** A JSON answer and the HTTP status it came with (a server-side apply answers 201 when it created the object). */
export interface Answer<T> {
  status: number;
  body: T;
}

export class Transport {
  readonly server: string;
  /** The kubeconfig's authentication over one pool of connections, shared with the cluster's watches. */
  readonly authentication: PooledAuthentication;
  readonly #config: Configuration;
  readonly #timeoutMs: number;
  readonly #observe: ReachabilityObserver | undefined;

  constructor(kubeConfig: KubeConfig, timeoutMs: number, observe?: ReachabilityObserver) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error("kubeconfig has no current cluster");
    this.server = cluster.server;
    this.authentication = new PooledAuthentication(kubeConfig);
    const { createConfiguration, ServerConfiguration } = clientNode();
    this.#config = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: this.authentication },
    });
    this.#timeoutMs = timeoutMs;
    this.#observe = observe;
  }

  static fromKubeconfig(kubeconfig: string, timeoutMs: number): Transport {
    const kubeConfig = loadKubeconfig(kubeconfig);
    return new Transport(kubeConfig, timeoutMs);
  }

  /** The parsed JSON answer; throws ApiError when the server refuses, ClusterUnreachable when it does not answer. */
  async request<T>(request: RawRequest): Promise<T> {
    return (await this.exchange<T>(request)).body;
  }

  /** As `request`, with the HTTP status of the (successful) answer. */
  async exchange<T>(request: RawRequest): Promise<Answer<T>> {
    let answer: { status: number; text: string };
    try {
      const fixed = await this.authentication.fixed(() =>
        this.#config.baseServer.makeRequestContext("/", clientNode().HttpMethod.GET),
      );
      answer = fixed === undefined ? await this.#authenticated(request) : await this.#direct(fixed, request);
    } catch (error) {
      this.#observe?.(false);
      throw new ClusterUnreachable(this.server, error);
    }
    const { status, text } = answer;
    // An overloaded or starting server answers but cannot serve: `isUnreachable` treats it alike.
    this.#observe?.(status !== 503 && status !== 504);
    if (status < 200 || status > 299) throw new ApiError(statusFromBody(status, text), request.ref);
    return { status, body: (text === "" ? undefined : JSON.parse(text)) as T };
  }

  /**
   * Straight through the pooled connections with the kept headers: client-node's path (its fetch, a request
   * context, authentication again, a new connection pool object per request) cost twice the CPU of a request,
   * and a worker's syncs are mostly requests.
   */
  async #direct(fixed: FixedCredentials, request: RawRequest): Promise<{ status: number; text: string }> {
    const url = new URL(this.server + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { ...fixed.headers, accept: "application/json" };
    if (request.body !== undefined) headers["content-type"] = request.contentType ?? "application/json";
    const response = await fixed.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      // A stopped server accepts the connection and never answers; only a deadline tells us.
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  async #authenticated(request: RawRequest): Promise<{ status: number; text: string }> {
    const context = this.#config.baseServer.makeRequestContext(request.path, clientNode().HttpMethod[request.method]);
    context.setHeaderParam("Accept", "application/json");
    for (const [name, value] of Object.entries(request.query ?? {})) context.setQueryParam(name, value);
    if (request.body !== undefined) {
      context.setHeaderParam("Content-Type", request.contentType ?? "application/json");
      context.setBody(JSON.stringify(request.body));
    }
    context.setSignal(AbortSignal.timeout(this.#timeoutMs));
    await this.#config.authMethods.default?.applySecurityAuthentication(context);
    const response = await this.#config.httpApi.send(context).toPromise();
    return { status: response.httpStatusCode, text: await response.body.text() };
  }
}
