import type { KubeConfig, RequestContext, SecurityAuthentication } from "@kubernetes/client-node";

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

/** What every request to the cluster goes out with when the kubeconfig alone authenticates it. */
export interface FixedCredentials {
  /** The pooled connections (TLS with the cluster's CA and the user's certificate). */
  dispatcher: Dispatcher;
  /** Authorization and impersonation headers. */
  headers: Record<string, string>;
}

/**
 * A kubeconfig's authentication whose TLS connections are pooled. client-node builds a new undici Agent for every
 * request it authenticates (`applySecurityAuthentication`), so every apply, dry-run, read and watch opened its own
 * TLS connection with its own secure context, parsed the CA and client key again, and left the connection idle
 * until keep-alive closed it: a handshake per request and native memory that grows with the request rate. Here the
 * first request's dispatcher is kept and every later one goes through it; headers (a token that an exec plugin or
 * a token file rotates) are still applied at each request. A user whose client certificate may come from an exec
 * plugin or an auth provider keeps client-node's per-request dispatcher, since a kept one would hold a stale
 * certificate.
 */
export class PooledAuthentication implements SecurityAuthentication {
  readonly #kubeConfig: KubeConfig;
  readonly #poolable: boolean;
  #dispatcher: Dispatcher | undefined;
  #fixed: Promise<FixedCredentials | undefined> | undefined;

  constructor(kubeConfig: KubeConfig) {
    this.#kubeConfig = kubeConfig;
    const user = kubeConfig.getCurrentUser();
    this.#poolable = user?.exec === undefined && user?.authProvider === undefined;
  }

  getName(): string {
    return "kubeconfig authentication (pooled connections)";
  }

  /** What client-node's Watch asks of its config besides authentication. */
  getCurrentCluster(): ReturnType<KubeConfig["getCurrentCluster"]> {
    return this.#kubeConfig.getCurrentCluster();
  }

  /**
   * For a user the kubeconfig alone authenticates (a certificate, a token, a password: nothing an exec plugin or an
   * auth provider renews), the connections and headers every request goes out with, learned from the first request's
   * authentication (`context`, a blank request) and kept: each request then costs no more than its own bytes.
   * Undefined for the other users and for plain HTTP; those requests are authenticated one by one.
   */
  fixed(context: () => RequestContext): Promise<FixedCredentials | undefined> {
    if (!this.#poolable) return Promise.resolve(undefined);
    this.#fixed ??= this.#learn(context()).catch((error: unknown) => {
      // A certificate file that could not be read yet, say: the next request tries again.
      this.#fixed = undefined;
      throw error;
    });
    return this.#fixed;
  }

  async #learn(context: RequestContext): Promise<FixedCredentials | undefined> {
    await this.applySecurityAuthentication(context);
    const dispatcher = context.getDispatcher();
    return dispatcher === undefined ? undefined : { dispatcher, headers: { ...context.getHeaders() } };
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.#kubeConfig.applySecurityAuthentication(context);
    if (!this.#poolable) return;
    // No dispatcher: plain HTTP without TLS options, served by undici's global pool already.
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    // The fresh one has opened nothing yet; unused, it is simply collected.
    this.#dispatcher ??= fresh;
    context.setDispatcher(this.#dispatcher);
  }
}
