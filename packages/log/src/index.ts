export { CENSORED, censorLogObject, SECRET_FIELDS } from "./censor.ts";
export { createLogger, type LoggerOptions } from "./logger.ts";
