import { REDACT_PATHS } from "@flotilla/store";
import { type DestinationStream, type Logger, pino } from "pino";

export interface WorkerLoggerOptions {
  /** @defaultValue "info" */
  level?: string;
  /** @defaultValue stdout */
  destination?: DestinationStream;
}

/**
 * JSON logs named `flotilla:worker`. Credentials and kubeconfigs should never reach a log line; the store's
 * redaction paths are the net under that rule.
 */
export function createWorkerLogger(options: WorkerLoggerOptions = {}): Logger {
  const settings = {
    name: "flotilla:worker",
    level: options.level ?? "info",
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
