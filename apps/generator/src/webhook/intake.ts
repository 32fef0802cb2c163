import { type PushEvent, parsePushEvent } from "./push-event.ts";
import { refMatches, repoKey } from "./repo-url.ts";
import type { Headers } from "./verify.ts";
import { verifyWebhook } from "./verify.ts";

/** A repository and revision whose pushes should start a generation cycle at once. */
export interface WatchedRepo {
  repoURL: string;
  revision: string;
}

export type IntakeResult =
  | { outcome: "triggered"; push: PushEvent }
  | { outcome: "ignored"; reason: string; push?: PushEvent };

/**
 * One webhook request from bytes to decision. Verification comes first: nothing in an unverified body is even
 * parsed. Throws WebhookRejectedError (400/401) for what must be refused.
 */
export function takeWebhook(
  headers: Headers,
  body: Uint8Array,
  secret: string,
  watched: readonly WatchedRepo[],
): IntakeResult {
  const provider = verifyWebhook(headers, body, secret);
  const push = parsePushEvent(provider, headers, body);
  if (push === undefined) return { outcome: "ignored", reason: "not a push event" };
  const keys = new Set(push.repoURLs.map(repoKey));
  const hit = watched.some((w) => keys.has(repoKey(w.repoURL)) && refMatches(push.ref, w.revision));
  return hit
    ? { outcome: "triggered", push }
    : { outcome: "ignored", reason: "push to a repository or ref not watched", push };
}
