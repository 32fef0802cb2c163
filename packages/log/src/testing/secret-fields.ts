/** Every secret in `secretLadenFields` holds this mark, so one `not.toMatch(SECRET_MARK)` checks them all. */
export const SECRET_MARK = /s3cr3t/;

/**
 * Log fields with a secret in every place a log call has been seen to put one (credentials, tokens, kubeconfigs,
 * client-node's KubeConfig, service configuration, Git credentials, an error's request headers), next to two
 * values that must survive: the cluster "prod-eu" and the error message "request failed".
 */
export function secretLadenFields(): Record<string, unknown> {
  const err = Object.assign(new Error("request failed"), {
    request: { headers: { authorization: "Bearer s3cr3t-header" } },
    details: { cluster: { credentials: { kind: "token", token: "s3cr3t-deep" } } },
  });
  return {
    cluster: "prod-eu",
    credentials: { kind: "token", token: "s3cr3t-1" },
    record: { kubeconfig: "s3cr3t-2", token: "s3cr3t-3" },
    kubeconfig: {
      users: [{ name: "admin", user: { token: "s3cr3t-4", "client-key-data": "s3cr3t-5", password: "s3cr3t-6" } }],
    },
    // @kubernetes/client-node's KubeConfig, as a careless `{ kc }` would log it.
    kc: { users: [{ name: "admin", token: "s3cr3t-7", keyData: "s3cr3t-8", password: "s3cr3t-9" }] },
    config: { webhook: { secret: "s3cr3t-10" }, redis: { password: "s3cr3t-11" }, encryptionKey: "s3cr3t-12" },
    repo: { credentials: { privateKey: "s3cr3t-13", passphrase: "s3cr3t-14" } },
    err,
  };
}
