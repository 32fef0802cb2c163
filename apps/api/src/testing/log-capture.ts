import { createLogger } from "@flotilla/log";
import type { Logger } from "pino";

/** The API's logger as a service builds it (Flotilla's redaction included), writing into memory for a test to read. */
export function capturedLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({
    name: "flotilla:api",
    level: "debug",
    destination: { write: (line) => lines.push(line) },
  });
  return { log, lines };
}
