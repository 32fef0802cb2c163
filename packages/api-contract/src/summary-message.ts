import type { AppSummary } from "./types.ts";

/**
 * What an Application needs a person to read first: its error, else why it waits, else its health's words. Pure
 * and free of server code: the CLI's table and the dashboard's lists say the same words.
 */
export function summaryMessage(s: Pick<AppSummary, "lastError" | "syncMessage" | "health" | "healthMessage">): string {
  if (s.lastError !== undefined) {
    return `${s.lastError.reason}: ${s.lastError.message}${s.lastError.retrying ? " (retrying)" : ""}`;
  }
  return s.syncMessage ?? (s.health !== "Healthy" ? (s.healthMessage ?? "") : "");
}
