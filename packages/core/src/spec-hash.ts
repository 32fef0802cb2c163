import { createHash } from "node:crypto";
import type { Application } from "./appset.ts";

/** JSON with object keys sorted, so that two equal specs always serialise, and so hash, the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = "{";
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** What decides whether an Application changed: its spec, labels and annotations, not its status. */
export function applicationHash(app: Application): string {
  const { labels, annotations } = app.metadata;
  return createHash("sha256")
    .update(canonicalJson({ labels, annotations, spec: app.spec }))
    .digest("hex")
    .slice(0, 32);
}
