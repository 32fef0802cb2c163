import { type DestinationStream, type Logger, pino } from "pino";

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

export interface StoreLoggerOptions {
  /** @defaultValue "info" */
  level?: string;
  /** @defaultValue stdout */
  destination?: DestinationStream;
}

export function createStoreLogger(options: StoreLoggerOptions = {}): Logger {
  const settings = {
    name: "flotilla:store",
    level: options.level ?? "info",
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
