import { type DestinationStream, type Logger, pino } from "pino";
import { censorLogObject } from "./censor.ts";

export interface LoggerOptions {
  /** Names the process or component: `flotilla:generator`, `flotilla:worker`, `flotilla:git`… */
  name: string;
  /** @defaultValue "info" */
  level?: string;
  /** @defaultValue stdout */
  destination?: DestinationStream;
}

/**
 * A pino JSON logger with Flotilla's redaction. Per-Application lines carry `appset`, `app` and `cluster`, bound
 * on child loggers: the field names every service logs.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    name: options.name,
    level: options.level ?? "info",
    formatters: { log: censorLogObject, bindings: censorLogObject },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
