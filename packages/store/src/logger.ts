import { createLogger } from "@flotilla/log";
import type { DestinationStream, Logger } from "pino";

export interface StoreLoggerOptions {
  /** @defaultValue "info" */
  level?: string;
  /** @defaultValue stdout */
  destination?: DestinationStream;
}

/** The store's default logger, `flotilla:store`, with the fleet's one redaction list (see `@flotilla/log`). */
export function createStoreLogger(options: StoreLoggerOptions = {}): Logger {
  return createLogger({ name: "flotilla:store", ...options });
}
