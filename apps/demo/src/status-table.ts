import type { AppStatus } from "@flotilla/status";
import Table from "cli-table3";

/** The fleet at a glance: one row per Application and cluster. */
export function statusTable(statuses: readonly AppStatus[]): string {
  const table = new Table({
    head: ["APPLICATION", "CLUSTER", "SYNC", "HEALTH", "REVISION", "BUNDLE", "LAST SYNC"],
    style: { head: [], border: [], compact: true },
  });
  const sorted = [...statuses].sort(
    (a, b) => a.application.localeCompare(b.application) || a.cluster.localeCompare(b.cluster),
  );
  for (const s of sorted) {
    table.push([
      s.application,
      s.cluster,
      s.sync,
      s.health,
      s.revision?.slice(0, 12) ?? "",
      s.bundleDigest?.slice(7, 19) ?? "",
      s.lastSyncAt.slice(11, 19),
    ]);
  }
  return table.toString();
}

/** Rendering happens once per unique input: how many bundles served how many Applications. */
export function bundleLine(statuses: readonly AppStatus[]): string {
  const bundles = new Set(statuses.map((s) => s.bundleDigest).filter((d) => d !== undefined));
  return `${statuses.length} Applications applied from ${bundles.size} rendered bundles (each rendered once, by the generator)`;
}

/** One line of progress: how far the fleet is from converged. */
export function progressLine(statuses: readonly AppStatus[], expected: number): string {
  const synced = statuses.filter((s) => s.sync === "Synced").length;
  const healthy = statuses.filter((s) => s.health === "Healthy").length;
  const errors = statuses.filter((s) => s.sync === "Error").length;
  return `converging: ${synced}/${expected} Synced, ${healthy}/${expected} Healthy${errors ? `, ${errors} Error` : ""}`;
}

export function converged(statuses: readonly AppStatus[], expected: number): boolean {
  return statuses.length === expected && statuses.every((s) => s.sync === "Synced" && s.health === "Healthy");
}

/** Why each failing Application fails, one line each: what a person needs when the fleet does not converge. */
export function errorLines(statuses: readonly AppStatus[]): string[] {
  return statuses
    .filter((s) => s.sync === "Error" && s.lastError !== undefined)
    .sort((a, b) => a.application.localeCompare(b.application))
    .map((s) => `${s.application} on ${s.cluster}: ${s.lastError?.reason}: ${s.lastError?.message}`);
}
