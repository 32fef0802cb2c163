import { summaryMessage } from "@flotilla/api-contract/summary-message";
import type { AppDetail, AppSummary, HistoryItem } from "@flotilla/api-contract/types";
import { plainTable } from "./table.ts";

const short = (text: string | undefined, n: number): string => (text === undefined ? "" : text.slice(0, n));
const when = (iso: string | undefined): string => (iso === undefined ? "" : iso.replace("T", " ").slice(0, 19));

/** `flotilla app list`: one line per Application on a cluster. */
export function appListTable(items: readonly AppSummary[]): string {
  return plainTable(
    ["CLUSTER", "APPSET", "APPLICATION", "SYNC", "HEALTH", "REVISION", "LAST SYNC", "MESSAGE"],
    items.map((s) => [
      s.cluster,
      s.appSet,
      s.application,
      s.sync,
      s.health,
      short(s.revision, 12),
      when(s.lastSyncAt),
      short(summaryMessage(s), 100),
    ]),
  );
}

/** `group/kind/namespace/name` → its parts, for the resources table. */
function idParts(id: string): { kind: string; namespace: string; name: string } {
  const [, kind = "", namespace = "", ...name] = id.split("/");
  return { kind, namespace, name: name.join("/") };
}

/**
 * `flotilla app get`: the Application's state, its resources table (KIND, NAMESPACE, NAME, ACTION, HEALTH,
 * MESSAGE), its conditions, its last error in full, and desired vs live for every object that differs.
 */
export function appDetailText(detail: AppDetail): string {
  const s = detail.status;
  const lines = [
    `Application:   ${detail.application}`,
    `ApplicationSet: ${detail.appSet}`,
    `Cluster:       ${detail.cluster}`,
  ];
  if (s === undefined) lines.push("Status:        not synced yet");
  else {
    lines.push(
      `Sync:          ${s.sync}${s.syncMessage === undefined ? "" : ` (${s.syncMessage})`}`,
      `Health:        ${s.health}${s.healthMessage === undefined ? "" : ` (${s.healthMessage})`}`,
      `Revision:      ${s.revision ?? ""}`,
      `Last sync:     ${s.lastSyncAt}`,
    );
  }
  let text = `${lines.join("\n")}\n`;
  const resources = s?.resources ?? [];
  if (resources.length > 0) {
    const rows = resources.map((r) => {
      const { kind, namespace, name } = idParts(r.id);
      return [kind, namespace, name, r.action, r.health, short(r.message, 100)];
    });
    text += `\n${plainTable(["KIND", "NAMESPACE", "NAME", "ACTION", "HEALTH", "MESSAGE"], rows)}\n`;
  }
  if (detail.conditions.length > 0) {
    text += `\nConditions:\n${plainTable(
      ["TYPE", "SINCE", "MESSAGE"],
      detail.conditions.map((c) => [c.type, when(c.at), c.message]),
    )}\n`;
  }
  if (s?.lastError !== undefined) {
    const e = s.lastError;
    text += `\nLast error (${e.reason} at ${e.at}${e.retrying ? ", retrying" : ""}):\n${e.message}\n`;
  }
  for (const diff of detail.diffs) {
    text += `\nDiff ${diff.id} (desired in Git vs live on the cluster):\n`;
    if (diff.differences === undefined) text += diff.paths.map((p) => `  ${p}\n`).join("");
    else {
      for (const d of diff.differences) {
        text += `  ${d.path}\n    - live:    ${d.live ?? "(absent)"}\n    + desired: ${d.desired ?? "(absent)"}\n`;
      }
      const more = diff.paths.filter((p) => p.startsWith("… and "));
      for (const line of more) text += `  ${line}\n`;
    }
  }
  return text;
}

/** `flotilla app history`: one line per sync, newest first. */
export function appHistoryTable(items: readonly HistoryItem[]): string {
  return plainTable(
    ["TIME", "RESULT", "REVISION", "BUNDLE", "FLEET", "MESSAGE"],
    items.map((e) => [
      e.at.replace("T", " ").slice(0, 23),
      e.result,
      short(e.revision, 12),
      short(e.bundleDigest?.replace(/^sha256:/, ""), 12),
      short(e.fleetRevision, 12),
      short(e.message, 100),
    ]),
  );
}
