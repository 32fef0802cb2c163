import { ResourceManager } from "@flotilla/kube";
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1PolicyRule,
} from "@kubernetes/client-node";
import { eventually } from "./harness.ts";

// Test-only (left out of the build): a worker identity the real API server refuses things to, through RBAC.

export const READ = ["get", "list", "watch"];
const NAME = "flotilla-restricted";

/**
 * A service account of one namespace bound to a Role whose rules a test sets and changes, so that a refusal is a
 * real 403 Forbidden from kube-apiserver's authorizer and lifting it is a real RBAC change.
 */
export class RestrictedIdentity {
  readonly namespace: string;
  readonly #admin: KubeConfig;
  readonly #core: CoreV1Api;
  readonly #rbac: RbacAuthorizationV1Api;
  readonly #authz: AuthorizationV1Api;

  constructor(admin: KubeConfig, namespace: string) {
    this.#admin = admin;
    this.namespace = namespace;
    this.#core = admin.makeApiClient(CoreV1Api);
    this.#rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    this.#authz = admin.makeApiClient(AuthorizationV1Api);
  }

  /** Creates the account, its Role with `rules` and the binding; returns a manager acting as the account. */
  async manager(rules: V1PolicyRule[]): Promise<ResourceManager> {
    const namespace = this.namespace;
    await this.#core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: NAME } } });
    await this.#rbac.createNamespacedRole({ namespace, body: { metadata: { name: NAME }, rules } });
    await this.#rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: NAME },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: NAME },
        subjects: [{ kind: "ServiceAccount", name: NAME, namespace }],
      },
    });
    const token = await this.#core.createNamespacedServiceAccountToken({
      name: NAME,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: this.#admin.clusters,
      users: [{ name: NAME, token: token.status?.token ?? "" }],
      contexts: [{ name: NAME, cluster: this.#admin.clusters[0]!.name, user: NAME }],
      currentContext: NAME,
    });
    return new ResourceManager(kc, { requestTimeoutMs: 10_000 });
  }

  async setRules(rules: V1PolicyRule[]): Promise<void> {
    await this.#rbac.replaceNamespacedRole({
      name: NAME,
      namespace: this.namespace,
      body: { metadata: { name: NAME }, rules },
    });
  }

  /** Waits until the authorizer (it reads Roles through an informer) answers `allowed` for the verb. */
  async authorized(verb: string, resource: string, allowed: boolean): Promise<void> {
    const ns = this.namespace;
    await eventually(
      async () => {
        const review = await this.#authz.createSubjectAccessReview({
          body: {
            spec: {
              user: `system:serviceaccount:${ns}:${NAME}`,
              groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"],
              resourceAttributes: { namespace: ns, verb, resource },
            },
          },
        });
        return review.status?.allowed === true;
      },
      (answer) => answer === allowed,
      10_000,
      `${verb} ${resource} ${allowed ? "allowed" : "denied"}`,
    );
  }
}
