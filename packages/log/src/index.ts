export { createLogger, type LoggerOptions } from "./logger.ts";
export { REDACT_PATHS, REDACTION } from "./redact.ts";
