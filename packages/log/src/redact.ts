/** Field names that hold a secret wherever they appear in a log call's object. */
const SECRET_FIELDS = [
  "credentials",
  "kubeconfig",
  "token",
  "bearerToken",
  "password",
  "secret",
  "encryptionKey",
  "caData",
  "keyData",
  "privateKey",
  "passphrase",
];

/**
 * The one list of paths every Flotilla service's logger censors (the generator, the workers, the CLI, the store,
 * the queue and Git defaults). Secrets should never reach a log call in the first place; this is the net under
 * that rule: a secret field up to three levels down (a cluster record inside an error's details, a user of a
 * parsed kubeconfig), a kubeconfig's user in the file's shape (client keys, auth-provider settings), and the
 * Authorization header of a request kept on an error.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
  ...["", "*."].flatMap((at) => [
    `${at}users[*].user.token`,
    `${at}users[*].user.password`,
    `${at}users[*].user["client-key-data"]`,
    `${at}users[*].user["auth-provider"].config`,
    `${at}users[*].authProvider.config`,
    `${at}["client-key-data"]`,
  ]),
  ...["headers", "*.headers", "*.*.headers"].flatMap((at) => [`${at}.authorization`, `${at}.Authorization`]),
];

/** What pino is given: the paths above, replaced by a marker that says something was there. */
export const REDACTION = { paths: [...REDACT_PATHS], censor: "[redacted]" } as const;
