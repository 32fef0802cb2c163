import type { Command } from "commander";
import { invalid } from "../context.ts";

/** `--cluster C` (required) and `--appset A` (needed only when two ApplicationSets have the name there). */
export function appOptions(command: Command): Command {
  return command
    .requiredOption("--cluster <name>", "the cluster the Application is on")
    .option("--appset <name>", "its ApplicationSet (found by itself when only one has the name there)");
}

export function appSetQuery(appSet: string | undefined): string {
  return appSet === undefined ? "" : `?appset=${encodeURIComponent(appSet)}`;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** An ISO-8601 time as the API takes it (UTC, with zone); anything else is exit 2 saying what to write. */
export function isoTime(text: string): string {
  const time = ISO_8601.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(time)) {
    throw invalid(`--at "${text}" is not an ISO-8601 time; write e.g. 2026-11-24T21:00:00Z or 2026-11-24`);
  }
  return new Date(time).toISOString();
}
