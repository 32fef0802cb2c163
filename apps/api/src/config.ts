import { readFileSync } from "node:fs";
import { type EncryptionKeyError, loadEncryptionKey, SKIP_POLICY_CHECK_ENV } from "@flotilla/store";

/** The API's settings, all from FLOTILLA_* variables (a container sets them; secrets may come from files). */
export interface ApiConfig {
  port: number;
  host: string;
  redis: { url: string; prefix: string; skipPolicyCheck: boolean };
  /** The bootstrap admin token (FLOTILLA_API_TOKEN_FILE or FLOTILLA_API_TOKEN); without one, only stored tokens work. */
  bootstrapToken: string | undefined;
  /** The credentials key: registering a pool cluster stores its kubeconfig encrypted, so it needs the key. */
  encryptionKey: Buffer | undefined;
  /** Git generators in `appset preview`/`diff` may read local paths and file:// URLs (FLOTILLA_ALLOW_LOCAL_REPOS). */
  allowLocalRepos: boolean;
  repoCacheDir: string | undefined;
  gitCredentialsFile: string | undefined;
}

/** A setting that cannot be used; the message names the variable and what it expects, never a secret's value. */
export class ApiConfigError extends Error {
  override readonly name = "ApiConfigError";
}

type Env = Readonly<Record<string, string | undefined>>;

/** Shortest bootstrap token accepted: anything shorter can be guessed. */
const MIN_TOKEN_LENGTH = 16;

export function loadApiConfig(env: Env, readFile: (p: string) => string = (p) => readFileSync(p, "utf8")): ApiConfig {
  return {
    port: port(env.FLOTILLA_API_PORT),
    host: nonEmpty(env.FLOTILLA_API_HOST) ?? "0.0.0.0",
    redis: {
      url: nonEmpty(env.FLOTILLA_REDIS_URL) ?? "redis://127.0.0.1:6379",
      prefix: env.FLOTILLA_REDIS_PREFIX ?? "flotilla:",
      skipPolicyCheck: flag(env, SKIP_POLICY_CHECK_ENV),
    },
    bootstrapToken: bootstrapToken(env, readFile),
    encryptionKey: encryptionKey(env),
    allowLocalRepos: flag(env, "FLOTILLA_ALLOW_LOCAL_REPOS"),
    repoCacheDir: nonEmpty(env.FLOTILLA_REPO_CACHE),
    gitCredentialsFile: nonEmpty(env.FLOTILLA_GIT_CREDENTIALS),
  };
}

function port(value: string | undefined): number {
  if (value === undefined || value === "") return 8080;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new ApiConfigError(`FLOTILLA_API_PORT: expected a port number 0-65535, got "${value}"`);
  }
  return n;
}

function flag(env: Env, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new ApiConfigError(`${name}: expected true or false, got "${value}"`);
}

function bootstrapToken(env: Env, readFile: (p: string) => string): string | undefined {
  const file = nonEmpty(env.FLOTILLA_API_TOKEN_FILE);
  const inline = nonEmpty(env.FLOTILLA_API_TOKEN);
  if (file !== undefined && inline !== undefined) {
    throw new ApiConfigError("both FLOTILLA_API_TOKEN_FILE and FLOTILLA_API_TOKEN are set; set exactly one");
  }
  let token = inline;
  if (file !== undefined) {
    try {
      token = readFile(file).trim();
    } catch (err) {
      throw new ApiConfigError(
        `FLOTILLA_API_TOKEN_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
  }
  if (token === undefined) return undefined;
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    // The length only: a near-miss token is still a secret.
    throw new ApiConfigError(
      `the bootstrap token must be at least ${MIN_TOKEN_LENGTH} characters without spaces (got ${token.length}); ` +
        "e.g. `openssl rand -base64 32`",
    );
  }
  return token;
}

function encryptionKey(env: Env): Buffer | undefined {
  try {
    return loadEncryptionKey({ env: { ...env } });
  } catch (err) {
    throw new ApiConfigError((err as EncryptionKeyError).message);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
