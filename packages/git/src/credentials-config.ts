import { readFileSync } from "node:fs";
import { parseYamlDocuments, ValidationError, type ValidationIssue } from "@flotilla/core";
import {
  type CredentialsResolver,
  type CredentialsRule,
  credentialsByPrefix,
  type GitCredentials,
} from "./credentials.ts";

/** Where secrets are read from: injected, so the loader itself does no I/O and is tested as pure code. */
export interface CredentialsSources {
  readFile(path: string): string;
  env: Readonly<Record<string, string | undefined>>;
}

const KINDS = ["https-token", "https-basic", "ssh-key"] as const;
const HOST_KEY_CHECKING = ["yes", "accept-new", "no"] as const;

/**
 * Reads the Git credentials file (FLOTILLA_GIT_CREDENTIALS): a YAML list of rules, the longest matching
 * `urlPrefix` winning.
 *
 * ```yaml
 * - urlPrefix: https://github.com/my-org/
 *   kind: https-token            # or https-basic (username + password)
 *   username: x-access-token
 *   tokenFile: /var/run/secrets/flotilla/github-token   # or tokenEnv: GITHUB_TOKEN
 * - urlPrefix: ssh://git@git.example.com/
 *   kind: ssh-key
 *   privateKeyFile: /var/run/secrets/flotilla/id_ed25519
 *   knownHostsFile: /var/run/secrets/flotilla/known_hosts
 * ```
 *
 * Secrets are read now, from the files or variables named; the file itself holds none. An SSH key stays in its
 * file (ssh reads it). Errors name file:line:col and the field, never a secret's value.
 */
export function loadCredentialsRules(text: string, file: string, sources: CredentialsSources): CredentialsRule[] {
  const parsed = parseYamlDocuments(text, file);
  if (parsed.issues.length > 0) throw new ValidationError(parsed.issues);
  const doc = parsed.documents[0];
  if (doc === undefined) return [];
  if (parsed.documents.length > 1) throw new ValidationError([doc.issue([], "expected one YAML document")]);
  if (!Array.isArray(doc.data)) {
    throw new ValidationError([doc.issue([], "expected a list of rules: [{urlPrefix, kind, …}]")]);
  }
  const issues: ValidationIssue[] = [];
  const rules: CredentialsRule[] = [];
  doc.data.forEach((raw: unknown, i) => {
    const at = (field: string, message: string) => issues.push(doc.issue(field ? [i, field] : [i], message));
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      at("", "expected a map with urlPrefix and kind");
      return;
    }
    const rule = raw as Record<string, unknown>;
    const text = (field: string): string | undefined => {
      const v = rule[field];
      if (v === undefined) return undefined;
      if (typeof v !== "string" || v === "") at(field, "expected a non-empty string");
      return typeof v === "string" && v !== "" ? v : undefined;
    };
    const known = new Set([
      "urlPrefix",
      "kind",
      "username",
      "tokenFile",
      "tokenEnv",
      "passwordFile",
      "passwordEnv",
      "privateKeyFile",
      "knownHostsFile",
      "strictHostKeyChecking",
    ]);
    for (const key of Object.keys(rule)) {
      if (!known.has(key)) {
        at(key, `unknown field; secrets are given as tokenFile/tokenEnv, passwordFile/passwordEnv or privateKeyFile`);
      }
    }
    const urlPrefix = text("urlPrefix");
    if (urlPrefix === undefined)
      at("urlPrefix", "required: the start of the repository URLs these credentials are for");
    else if (!/^(https?|ssh):\/\/[^/]+/.test(urlPrefix)) {
      at("urlPrefix", "must start with https://, http:// or ssh:// and a host, e.g. https://github.com/my-org/");
    }
    const kind = rule.kind;
    if (!KINDS.includes(kind as (typeof KINDS)[number])) {
      at("kind", `expected one of ${KINDS.join(", ")}`);
      return;
    }
    const secret = (name: "token" | "password"): string | undefined => {
      const fromFile = text(`${name}File`);
      const fromEnv = text(`${name}Env`);
      if ((fromFile === undefined) === (fromEnv === undefined)) {
        at(`${name}File`, `give exactly one of ${name}File or ${name}Env`);
        return undefined;
      }
      if (fromFile !== undefined) {
        try {
          const value = sources.readFile(fromFile).trim();
          if (value === "") at(`${name}File`, `${fromFile} is empty`);
          return value || undefined;
        } catch (err) {
          at(`${name}File`, `cannot read ${fromFile} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
          return undefined;
        }
      }
      const value = sources.env[fromEnv!]?.trim();
      if (!value) at(`${name}Env`, `environment variable ${fromEnv} is not set`);
      return value || undefined;
    };
    let credentials: GitCredentials | undefined;
    if (kind === "https-token" || kind === "https-basic") {
      const username = text("username") ?? (kind === "https-token" ? "git" : undefined);
      if (username === undefined) at("username", "required for https-basic");
      const value = secret(kind === "https-token" ? "token" : "password");
      if (username !== undefined && value !== undefined) credentials = { kind: "https-token", username, token: value };
    } else {
      const privateKeyPath = text("privateKeyFile");
      if (privateKeyPath === undefined) at("privateKeyFile", "required for ssh-key: the private key's file");
      const checking = rule.strictHostKeyChecking ?? "yes";
      if (!HOST_KEY_CHECKING.includes(checking as (typeof HOST_KEY_CHECKING)[number])) {
        at("strictHostKeyChecking", `expected one of ${HOST_KEY_CHECKING.join(", ")}`);
      }
      const knownHostsPath = text("knownHostsFile");
      if (privateKeyPath !== undefined) {
        credentials = {
          kind: "ssh-key",
          privateKeyPath,
          strictHostKeyChecking: checking as (typeof HOST_KEY_CHECKING)[number],
          ...(knownHostsPath === undefined ? {} : { knownHostsPath }),
        };
      }
    }
    if (urlPrefix !== undefined && credentials !== undefined) rules.push({ urlPrefix, credentials });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return rules;
}

/** The services' edge: reads the credentials file and its secrets once, at start. */
export function credentialsFromFile(
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CredentialsResolver {
  const readFile = (p: string) => readFileSync(p, "utf8");
  return credentialsByPrefix(loadCredentialsRules(readFile(path), path, { readFile, env }));
}
