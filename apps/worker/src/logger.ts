import { createLogger } from "@flotilla/log";
import type { DestinationStream, Logger } from "pino";

export interface WorkerLoggerOptions {
  /** @defaultValue "info" */
  level?: string;
  /** @defaultValue stdout */
  destination?: DestinationStream;
}

/**
 * JSON logs named `flotilla:worker`. Per-job lines carry `appset`, `app` and `cluster` (bound by the queue's
 * cluster worker), the fields every Flotilla service logs. Credentials and kubeconfigs should never reach a log
 * line; the fleet's one redaction list (`@flotilla/log`) is the net under that rule.
 */
export function createWorkerLogger(options: WorkerLoggerOptions = {}): Logger {
  return createLogger({ name: "flotilla:worker", ...options });
}
