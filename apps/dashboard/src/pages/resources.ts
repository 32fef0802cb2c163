import type { ResourceStatus } from "../api/types.ts";

/** A resource id (`group/kind/namespace/name`, empty group and namespace for core and cluster-scoped) in parts. */
export function resourceParts(id: string): { group: string; kind: string; namespace: string; name: string } {
  const parts = id.split("/");
  if (parts.length < 4) return { group: "", kind: parts[0] ?? "", namespace: "", name: parts.slice(1).join("/") };
  const [group = "", kind = "", namespace = "", ...name] = parts;
  return { group, kind, namespace, name: name.join("/") };
}

/** A resource's sync as a person reads it: it differs from Git, it left Git (stale), or it matches. */
export function resourceSync(
  r: Pick<ResourceStatus, "action" | "drift" | "diff">,
): "Synced" | "OutOfSync" | "NotInGit" {
  if (r.action === "stale") return "NotInGit";
  if ((r.drift?.length ?? 0) > 0 || (r.diff?.length ?? 0) > 0) return "OutOfSync";
  return "Synced";
}

/** A `datetime-local` input's value (local time, no zone) → the ISO-8601 instant `history?at=` takes. */
export function instantOf(local: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(local)) return undefined;
  const t = new Date(local).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
