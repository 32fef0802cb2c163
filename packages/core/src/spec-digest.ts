import { createHash } from "node:crypto";
import type { Application } from "./appset.ts";

/*
 * Glossary — one word per meaning, used the same way in every package:
 * - spec digest (`specDigest`): SHA-256 of one Application's canonical spec, labels and annotations. Decides "did
 *   the Application change"; nothing outside the Application goes into it.
 * - desired digest (`desiredDigest`): what one sync job must make true — the spec digest joined with the rendered
 *   bundle's digest, or with the failed step and commit (see the generator's `desiredDigestFrom`); the spec digest
 *   alone where no source is prepared. Carried by `SyncJob`, stored per ApplicationSet for the next diff, and
 *   recorded in `AppStatus` as the one last applied.
 * - digest (`bundleDigest`, render key, input fingerprint, a cluster record's digest): a content address, SHA-256 of
 *   exactly the bytes or canonical JSON it names (a bundle's is written `sha256:<hex>`).
 * - hash: only the cryptographic function itself (SHA-256, HMAC, Redis ACL password hashes) and Redis's HASH type;
 *   never the name of a value the domain passes around.
 */

/** JSON with object keys sorted, so that two equal specs always serialise, and so digest, the same. */
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

/** The spec digest: what decides whether an Application changed — its spec, labels and annotations, not its status. */
export function specDigest(app: Application): string {
  const { labels, annotations } = app.metadata;
  return createHash("sha256")
    .update(canonicalJson({ labels, annotations, spec: app.spec }))
    .digest("hex")
    .slice(0, 32);
}
