// Git echoes URLs (and, with tracing, headers) into its stderr. Everything that leaves this package as an
// error message or a log line goes through here first.

const USERINFO_IN_URL = /([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi;
const AUTH_HEADER = /(authorization:\s*)(basic|bearer|token)\s+\S+/gi;
const MASK = "***";

/** Replaces the user-info part of a URL ("https://user:token@host/…" → "https://***@host/…"). */
export function redactURL(url: string): string {
  return url.replace(USERINFO_IN_URL, `$1${MASK}@`);
}

/**
 * Removes every known secret (and its base64 form, since it travels in an HTTP basic header), user-info in
 * URLs and authorization header values from free text.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(MASK);
  }
  return redactURL(out).replace(AUTH_HEADER, `$1$2 ${MASK}`);
}
