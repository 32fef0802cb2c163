import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidGitArgumentError } from "./errors.ts";
import { redactURL } from "./redact.ts";
import { hasControlCharacters } from "./validate.ts";

export type GitTransport = "https" | "http" | "ssh" | "git" | "file";

/** A repository URL after validation, in the spellings each consumer needs. */
export interface RepoLocation {
  /** What git fetches from. Never carries a password; local repositories are absolute paths. */
  fetchURL: string;
  /** One spelling per repository (host lower-cased, no trailing "/" or ".git"); the cache key derives from it. */
  canonical: string;
  /** Safe for logs and error messages. */
  display: string;
  transport: GitTransport;
  /** Hex digest of `canonical`: the mirror's directory name, so no URL part ever lands in a path. */
  key: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
// `<transport>::<address>` hands the address to a remote helper (`ext::` runs commands); never accepted.
const REMOTE_HELPER = /^[a-z][a-z0-9+.-]*::/i;
// git treats "host:path" as scp-like SSH when a colon comes before any slash.
const SCP_LIKE = /^(?:([A-Za-z0-9._~+][A-Za-z0-9._~+-]*)@)?([A-Za-z0-9][A-Za-z0-9.-]*):(.*)$/;

function invalid(message: string): never {
  throw new InvalidGitArgumentError("repoURL", message);
}

function trimRepoPath(path: string): string {
  return path.replace(/\/+$/, "").replace(/\.git$/, "");
}

function located(fetchURL: string, canonical: string, transport: GitTransport): RepoLocation {
  const key = createHash("sha256").update(canonical).digest("hex").slice(0, 32);
  return { fetchURL, canonical, display: redactURL(fetchURL), transport, key };
}

function parseSchemeURL(input: string, scheme: string): RepoLocation {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return invalid(`${redactURL(input)} is not a valid URL`);
  }
  if (url.password) invalid(`${redactURL(input)} embeds credentials; configure them as repository credentials`);
  if (url.search || url.hash) invalid(`${redactURL(input)} has a query or fragment`);
  if (scheme === "file") {
    const path = resolve(fileURLToPath(url));
    return located(path, `file://${trimRepoPath(path)}`, "file");
  }
  if (!url.hostname) invalid(`${redactURL(input)} has no host`);
  if (url.hostname.startsWith("-") || url.username.startsWith("-")) {
    invalid(`${redactURL(input)} has a host or user starting with "-"`);
  }
  const transport = scheme as GitTransport;
  const user = url.username ? `${url.username}@` : "";
  const host = url.host.toLowerCase();
  const canonical = `${scheme}://${user}${host}${trimRepoPath(url.pathname)}`;
  return located(url.href, canonical, transport);
}

/**
 * Validates a repository URL and derives its spellings. Accepts https://, http://, ssh://, git://, file://,
 * scp-like `git@host:path` and local paths (resolved against `cwd`). Refuses anything git could read as an
 * option, remote-helper syntax, control characters and embedded passwords.
 */
export function parseRepoURL(input: string, cwd: string = process.cwd()): RepoLocation {
  if (typeof input !== "string") invalid("must be a string");
  const url = input.trim();
  if (url === "") invalid("must not be empty");
  if (hasControlCharacters(url)) invalid("must not contain control characters or NUL");
  if (url.startsWith("-")) invalid(`${redactURL(url)} starts with "-" and would be read as a git option`);
  if (REMOTE_HELPER.test(url)) invalid(`${redactURL(url)} uses remote-helper syntax, which is not allowed`);

  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!["https", "http", "ssh", "git", "file"].includes(scheme)) {
      invalid(`${redactURL(url)}: unsupported scheme "${scheme}"`);
    }
    return parseSchemeURL(url, scheme);
  }

  const colon = url.indexOf(":");
  const slash = url.indexOf("/");
  if (colon > 0 && (slash === -1 || colon < slash)) {
    const scp = SCP_LIKE.exec(url);
    if (!scp) invalid(`${redactURL(url)} is neither a URL, an scp-like "user@host:path" nor a local path`);
    const [, user, host, path] = scp;
    if (!path || path.startsWith("-")) invalid(`${redactURL(url)} has an empty path or one starting with "-"`);
    const canonical = `${user ? `${user}@` : ""}${host!.toLowerCase()}:${trimRepoPath(path)}`;
    return located(url, canonical, "ssh");
  }

  const path = isAbsolute(url) ? resolve(url) : resolve(cwd, url);
  return located(path, `file://${trimRepoPath(path)}`, "file");
}
