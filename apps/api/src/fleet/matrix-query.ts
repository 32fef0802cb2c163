import { clusterNameProblem, dns1123SubdomainProblem } from "@flotilla/core";
import type { HealthStatus } from "@flotilla/kube";
import { MATRIX_HEALTHS, MATRIX_SYNCS, type MatrixSync } from "@flotilla/status";
import { badRequest } from "../errors.ts";

/** The matrix's filters, decoded from its query; each list absent when not given. */
export interface MatrixFilters {
  appSets?: ReadonlySet<string>;
  clusters?: ReadonlySet<string>;
  selector?: string;
  sync?: ReadonlySet<MatrixSync>;
  health?: ReadonlySet<HealthStatus>;
}

const MAX_ENTRIES = 1000;

/** The entries of a comma-separated list, each checked by `problem`; a 400 naming the field and entry otherwise. */
function listOf(field: string, text: string, problem: (entry: string) => string | undefined): Set<string> {
  const entries = text.split(",").map((e) => e.trim());
  if (entries.length > MAX_ENTRIES)
    throw badRequest(`query.${field}: ${entries.length} entries; at most ${MAX_ENTRIES}`, `query.${field}`);
  entries.forEach((entry, i) => {
    const why =
      entry === "" ? "expected a name, found an empty entry (a comma-separated list has none)" : problem(entry);
    if (why !== undefined) {
      throw badRequest(
        `query.${field}: entry ${i + 1} ${JSON.stringify(entry.slice(0, 80))}: ${why}`,
        `query.${field}`,
      );
    }
  });
  return new Set(entries);
}

const oneOf =
  (allowed: readonly string[]) =>
  (entry: string): string | undefined =>
    allowed.includes(entry) ? undefined : `expected one of ${allowed.join(", ")}`;

/** Decodes the query `GET /matrix` was given (already shape-checked by its schema). */
export function matrixFilters(query: {
  appSet?: string | undefined;
  cluster?: string | undefined;
  selector?: string | undefined;
  sync?: string | undefined;
  health?: string | undefined;
}): MatrixFilters {
  const filters: MatrixFilters = {};
  if (query.appSet !== undefined) filters.appSets = listOf("appSet", query.appSet, dns1123SubdomainProblem);
  if (query.cluster !== undefined) filters.clusters = listOf("cluster", query.cluster, clusterNameProblem);
  if (query.selector !== undefined) filters.selector = query.selector;
  if (query.sync !== undefined) filters.sync = listOf("sync", query.sync, oneOf(MATRIX_SYNCS)) as Set<MatrixSync>;
  if (query.health !== undefined) {
    filters.health = listOf("health", query.health, oneOf(MATRIX_HEALTHS)) as Set<HealthStatus>;
  }
  return filters;
}
