import { createHmac, timingSafeEqual } from "node:crypto";

export type WebhookProvider = "github" | "gitlab" | "gitea";

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** A webhook that must not trigger anything; `status` is what the HTTP layer answers. */
export class WebhookRejectedError extends Error {
  override readonly name = "WebhookRejectedError";
  readonly status: 400 | 401;
  constructor(status: 400 | 401, reason: string) {
    super(reason);
    this.status = status;
  }
}

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Which forge sent this. Gitea also sends GitHub's headers for compatibility, so it is asked first. */
export function detectProvider(headers: Headers): WebhookProvider {
  if (header(headers, "x-gitea-event") !== undefined) return "gitea";
  if (header(headers, "x-gitlab-event") !== undefined) return "gitlab";
  if (header(headers, "x-github-event") !== undefined) return "github";
  throw new WebhookRejectedError(400, "unknown webhook sender: expected a GitHub, GitLab or Gitea event header");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Length is not secret (a hex digest's length is public); comparing equal lengths keeps timingSafeEqual happy.
  return x.length === y.length && timingSafeEqual(x, y);
}

function hmacHex(secret: string, body: Uint8Array): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/**
 * Checks that the request comes from someone who knows the secret: an HMAC-SHA256 of the exact body bytes
 * (GitHub, Gitea) or GitLab's shared token. Throws WebhookRejectedError(401) otherwise; never says which part
 * was wrong beyond "missing" or "does not match".
 */
export function verifyWebhook(headers: Headers, body: Uint8Array, secret: string): WebhookProvider {
  if (secret.length === 0) throw new WebhookRejectedError(401, "webhook secret is not configured");
  const provider = detectProvider(headers);
  switch (provider) {
    case "github": {
      const sig = header(headers, "x-hub-signature-256");
      if (sig === undefined) throw new WebhookRejectedError(401, "missing X-Hub-Signature-256 header");
      if (!safeEqual(sig, `sha256=${hmacHex(secret, body)}`)) {
        throw new WebhookRejectedError(401, "signature does not match");
      }
      return provider;
    }
    case "gitea": {
      const sig = header(headers, "x-gitea-signature");
      if (sig === undefined) throw new WebhookRejectedError(401, "missing X-Gitea-Signature header");
      if (!safeEqual(sig, hmacHex(secret, body))) throw new WebhookRejectedError(401, "signature does not match");
      return provider;
    }
    case "gitlab": {
      const token = header(headers, "x-gitlab-token");
      if (token === undefined) throw new WebhookRejectedError(401, "missing X-Gitlab-Token header");
      if (!safeEqual(token, secret)) throw new WebhookRejectedError(401, "token does not match");
      return provider;
    }
  }
}
