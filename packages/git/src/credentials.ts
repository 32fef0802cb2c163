import type { RepoLocation } from "./repo-url.ts";

/** HTTPS basic auth with a token as the password (GitHub, GitLab, Gitea and Bitbucket all accept this). */
export interface HttpsTokenCredentials {
  kind: "https-token";
  username: string;
  token: string;
}

export interface SshKeyCredentials {
  kind: "ssh-key";
  /** Path to the private key file; the key itself never passes through this process. */
  privateKeyPath: string;
  /** @defaultValue "yes" — an unknown host key is refused. "accept-new" trusts on first use. */
  strictHostKeyChecking?: "yes" | "accept-new" | "no";
  /** @defaultValue ssh's own (~/.ssh/known_hosts) */
  knownHostsPath?: string;
}

export type GitCredentials = HttpsTokenCredentials | SshKeyCredentials;

/** Looks up credentials for a repository; `undefined` means anonymous access. */
export type CredentialsResolver = (repo: RepoLocation) => GitCredentials | undefined;

export interface CredentialsRule {
  /** Matched against the repository's fetch URL, e.g. "https://github.com/my-org/". */
  urlPrefix: string;
  credentials: GitCredentials;
}

/** Credentials by URL prefix, as they come from configuration. The longest matching prefix wins. */
export function credentialsByPrefix(rules: readonly CredentialsRule[]): CredentialsResolver {
  const sorted = [...rules].sort((a, b) => b.urlPrefix.length - a.urlPrefix.length);
  return (repo) => {
    const target = repo.fetchURL.toLowerCase();
    return sorted.find((rule) => target.startsWith(rule.urlPrefix.toLowerCase()))?.credentials;
  };
}

/** What one git invocation needs to authenticate, and which strings must be scrubbed from its output. */
export interface GitAuth {
  env: Record<string, string>;
  secrets: string[];
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Turns credentials into environment for git. The token travels as an `http.<url>.extraHeader` set through
 * GIT_CONFIG_* variables: never on the command line (visible to every user in `ps`), never in a URL (stored in
 * the mirror's config), and scoped to the repository's origin so a redirect elsewhere does not receive it.
 */
export function gitAuthFor(repo: RepoLocation, credentials: GitCredentials | undefined): GitAuth {
  if (!credentials) return { env: {}, secrets: [] };
  if (credentials.kind === "https-token") {
    if (repo.transport !== "https" && repo.transport !== "http") return { env: {}, secrets: [credentials.token] };
    const basic = Buffer.from(`${credentials.username}:${credentials.token}`).toString("base64");
    const origin = new URL(repo.fetchURL).origin;
    return {
      env: {
        GIT_CONFIG_COUNT: "1",
        GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`,
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
      },
      secrets: [credentials.token, basic],
    };
  }
  if (repo.transport !== "ssh") return { env: {}, secrets: [] };
  const args = [
    "ssh",
    "-i",
    shellQuote(credentials.privateKeyPath),
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "BatchMode=yes",
    "-o",
    `StrictHostKeyChecking=${credentials.strictHostKeyChecking ?? "yes"}`,
  ];
  if (credentials.knownHostsPath) args.push("-o", shellQuote(`UserKnownHostsFile=${credentials.knownHostsPath}`));
  return { env: { GIT_SSH_COMMAND: args.join(" ") }, secrets: [] };
}
