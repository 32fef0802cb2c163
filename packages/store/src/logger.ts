import { type Logger, pino } from "pino";

/**
 * Paths pino censors in every log line the store (and whoever logs its records) writes. Credentials should never
 * reach a logger in the first place; this is the net under that rule.
 */
export const REDACT_PATHS: readonly string[] = [
  "credentials",
  "*.credentials",
  "kubeconfig",
  "*.kubeconfig",
  "token",
  "*.token",
  "caData",
  "*.caData",
  "encryptionKey",
  "*.encryptionKey",
  "password",
  "*.password",
];

export function createStoreLogger(options: { level?: string } = {}): Logger {
  return pino({
    name: "flotilla:store",
    level: options.level ?? "info",
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
  });
}
