import { z } from "zod";
import { type Headers, type WebhookProvider, WebhookRejectedError } from "./verify.ts";

/** A push, reduced to what decides whether to regenerate: which repository and which ref moved. */
export interface PushEvent {
  provider: WebhookProvider;
  /** Every URL the forge gives for the repository (HTTPS, SSH, web), to match against configured ones. */
  repoURLs: string[];
  ref: string;
  commit?: string;
}

const url = z.string().max(2048);
const githubLike = z.object({
  ref: z.string().max(1024),
  after: z.string().max(64).optional(),
  repository: z.object({ clone_url: url.optional(), ssh_url: url.optional(), html_url: url.optional() }),
});
const gitlab = z.object({
  object_kind: z.string(),
  ref: z.string().max(1024),
  checkout_sha: z.string().max(64).nullable().optional(),
  after: z.string().max(64).optional(),
  project: z.object({ git_http_url: url.optional(), git_ssh_url: url.optional(), web_url: url.optional() }),
});

function eventName(headers: Headers, provider: WebhookProvider): string | undefined {
  const name = { github: "x-github-event", gitea: "x-gitea-event", gitlab: "x-gitlab-event" }[provider];
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The push in a verified webhook body, or undefined for events that are not pushes (ping, issues, …), which are
 * accepted and ignored. A push whose body does not have the documented shape is a 400.
 */
export function parsePushEvent(provider: WebhookProvider, headers: Headers, body: Uint8Array): PushEvent | undefined {
  const event = eventName(headers, provider);
  const isPush = provider === "gitlab" ? event === "Push Hook" || event === "Tag Push Hook" : event === "push";
  if (!isPush) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new WebhookRejectedError(400, "body is not valid JSON");
  }
  if (provider === "gitlab") {
    const r = gitlab.safeParse(json);
    if (!r.success) throw new WebhookRejectedError(400, `not a GitLab push payload: ${firstIssue(r.error)}`);
    const p = r.data.project;
    const commit = r.data.checkout_sha ?? r.data.after;
    return {
      provider,
      repoURLs: [p.git_http_url, p.git_ssh_url, p.web_url].filter((u): u is string => u !== undefined),
      ref: r.data.ref,
      ...(commit ? { commit } : {}),
    };
  }
  const r = githubLike.safeParse(json);
  if (!r.success) throw new WebhookRejectedError(400, `not a ${provider} push payload: ${firstIssue(r.error)}`);
  const repo = r.data.repository;
  return {
    provider,
    repoURLs: [repo.clone_url, repo.ssh_url, repo.html_url].filter((u): u is string => u !== undefined),
    ref: r.data.ref,
    ...(r.data.after ? { commit: r.data.after } : {}),
  };
}

function firstIssue(error: z.ZodError): string {
  const i = error.issues[0]!;
  return `${i.path.join(".") || "(body)"}: ${i.message}`;
}
