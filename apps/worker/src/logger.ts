import { REDACT_PATHS } from "@flotilla/store";
import { type DestinationStream, type Logger, pino } from "pino";

/** Secret-bearing fields: the store's paths catch them at the top level and one below; a worker's errors nest deeper. */
const SECRET_FIELDS = ["credentials", "kubeconfig", "token", "password", "encryptionKey", "bearerToken", "keyData"];

/**
 * The store's paths, and what else could carry a secret into a worker's log line: a secret field up to three
 * levels down (a cluster record inside an error's details, a user of a parsed kubeconfig), a kubeconfig's user
 * in the file's shape (client keys, auth-provider settings), and the Authorization header of a request kept on
 * an error.
 */
export const WORKER_REDACT_PATHS: readonly string[] = [
  ...REDACT_PATHS,
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
].filter((path, i, all) => all.indexOf(path) === i);

export interface WorkerLoggerOptions {
  /** @defaultValue "info" */
  level?: string;
  /** @defaultValue stdout */
  destination?: DestinationStream;
}

/**
 * JSON logs named `flotilla:worker`. Per-job lines carry `appset`, `app` and `cluster` (bound by the queue's
 * cluster worker), the fields every Flotilla service logs. Credentials and kubeconfigs should never reach a log
 * line; the redaction paths are the net under that rule.
 */
export function createWorkerLogger(options: WorkerLoggerOptions = {}): Logger {
  const settings = {
    name: "flotilla:worker",
    level: options.level ?? "info",
    redact: { paths: [...WORKER_REDACT_PATHS], censor: "[redacted]" },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
