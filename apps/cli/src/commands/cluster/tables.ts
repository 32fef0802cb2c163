import type { ClusterView, RemovalAnswer } from "@flotilla/api-contract/types";
import { plainTable } from "../../output/table.ts";

/** `cluster list`: one line per cluster, kubectl-style. */
export function clusterTable(clusters: readonly ClusterView[]): string {
  return plainTable(
    ["NAME", "MODE", "SERVER", "STATE", "REACHABILITY", "SERVED BY", "QUEUE (W/A/D/F)", "APPS", "LABELS"],
    clusters.map((c) => [
      c.name,
      c.mode,
      c.server,
      c.removing === undefined ? "Active" : "Removing",
      c.reachability.status,
      c.servedBy?.id ?? "<none>",
      `${c.queue.waiting}/${c.queue.active}/${c.queue.delayed}/${c.queue.failed}`,
      String(c.applications),
      labelText(c.labels),
    ]),
  );
}

/** `cluster get`: every field, one per line, like kubectl describe. */
export function clusterDetails(c: ClusterView): string {
  const reach = c.reachability;
  const reachText = [
    reach.status,
    reach.source === "none"
      ? undefined
      : `(${reach.source === "worker" ? "pool worker contact" : "heartbeat"} ${reach.at ?? ""})`,
    reach.message === undefined ? undefined : `: ${reach.message}`,
  ]
    .filter((p) => p !== undefined)
    .join(" ")
    .replace(" : ", ": ");
  const rows: [string, string][] = [
    ["Name", c.name],
    ["Mode", c.mode],
    ["Server", c.server],
    ["State", c.removing === undefined ? "Active" : `Removing since ${c.removing.since}`],
    ["Reachability", reachText],
    ["Last heartbeat", c.lastHeartbeat ?? "<none>"],
    ["Served by", c.servedBy === undefined ? "<nobody>" : `${c.servedBy.kind} ${c.servedBy.id}`],
    [
      "Queue",
      `${c.queue.waiting} waiting, ${c.queue.active} active, ${c.queue.delayed} delayed, ${c.queue.failed} failed`,
    ],
    ["Applications", String(c.applications)],
    ["Labels", labelText(c.labels)],
    ["Annotations", labelText(c.annotations)],
    ["Credentials", c.hasCredentials ? "stored (encrypted)" : "none stored"],
    ["Updated", c.updatedAt],
  ];
  if (c.removing !== undefined) {
    rows.push(["Remaining", `${c.removing.remaining} Application(s) still to delete`]);
    for (const held of c.removing.held) {
      rows.push(["Held", `${held.appSet}: ${held.applications.join(", ")} (${held.reason})`]);
    }
  }
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return `${rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join("\n")}\n`;
}

/** `cluster rm`: what the API said will happen, then each Application concerned. */
export function removalText(answer: RemovalAnswer): string {
  const lines = [answer.message];
  if (!answer.orphan) {
    for (const a of answer.appSets) {
      const guard = a.likelyHeld ? "; likely held by the deletion guard" : "";
      lines.push(`  ${a.appSet}: ${a.deleting} of ${a.of} Application(s) to delete${guard}`);
    }
  }
  if (answer.applications.length > 0) {
    lines.push(
      plainTable(
        ["APPSET", "APPLICATION"],
        answer.applications.map((a) => [a.appSet, a.application]),
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? "<none>" : entries.map(([k, v]) => `${k}=${v}`).join(",");
}
