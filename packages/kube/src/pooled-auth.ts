import type { KubeConfig, RequestContext, SecurityAuthentication } from "@kubernetes/client-node";

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

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
