import { clusterSchema, parseYamlDocuments, ValidationError, type ValidationIssue } from "@flotilla/core";
import type { ClusterRegistration } from "./cluster-types.ts";

/**
 * Checks a registration before anything is written. Names and labels follow the same schema as clusters declared
 * in files; mode and credentials must agree, because an agent-mode cluster's credentials must never leave it.
 */
export function validateRegistration(reg: ClusterRegistration): void {
  const source = `cluster registration${typeof reg.name === "string" && reg.name ? ` ${reg.name}` : ""}`;
  const { name, server, labels, annotations } = reg;
  const parsed = clusterSchema.safeParse({ name, server, labels, annotations });
  const issues: ValidationIssue[] = [];
  const at = (path: string, message: string) => issues.push({ file: source, line: 0, column: 0, path, message });
  if (!parsed.success) for (const issue of parsed.error.issues) at(issue.path.map(String).join("."), issue.message);
  if (reg.mode !== "pool" && reg.mode !== "agent") at("mode", 'expected "pool" or "agent"');
  if (reg.mode === "pool" && reg.credentials === undefined) at("credentials", "pool mode needs credentials");
  if (reg.mode === "agent" && reg.credentials !== undefined) {
    at("credentials", "agent mode keeps its credentials in the cluster; none may be stored");
  }
  const creds = reg.credentials;
  if (creds !== undefined) {
    if (creds.kind === "kubeconfig") {
      if (typeof creds.kubeconfig !== "string" || creds.kubeconfig.trim() === "") {
        at("credentials.kubeconfig", "must be non-empty kubeconfig text");
      } else {
        issues.push(...kubeconfigIssues(creds.kubeconfig, reg.server, source));
      }
    } else if (creds.kind === "token") {
      if (typeof creds.token !== "string" || creds.token === "") at("credentials.token", "must be a non-empty token");
    } else {
      at("credentials.kind", 'expected "kubeconfig" or "token"');
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

const KUBECONFIG = "credentials.kubeconfig";

/**
 * A kubeconfig is checked before it is stored, so that a broken one is refused at registration rather than at
 * every sync: one YAML document whose current context names a cluster with a server (the registration's own:
 * the record's server is what the credentials are bound to) and a user. Messages name lines and fields, never
 * values: any of them could be a token or a key.
 */
export function kubeconfigIssues(text: string, server: string, source: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (message: string, line = 0, column = 0) =>
    issues.push({ file: source, line, column, path: KUBECONFIG, message });
  const parsed = parseYamlDocuments(text, source);
  for (const issue of parsed.issues) {
    at(
      `is not valid YAML (${issue.message.replace(/^invalid YAML: /, "")}); its contents are not shown`,
      issue.line,
      issue.column,
    );
  }
  if (parsed.issues.length > 0) return issues;
  if (parsed.documents.length !== 1) {
    at(`holds ${parsed.documents.length} YAML documents; expected one kubeconfig`);
    return issues;
  }
  const doc = parsed.documents[0]!;
  const config = doc.data as Record<string, unknown>;
  const located = (path: (string | number)[], message: string) => {
    const { line, column } = doc.locate(path);
    at(message, line, column);
  };
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    at("is not a kubeconfig (expected a mapping with clusters, users, contexts and current-context)");
    return issues;
  }
  const current = config["current-context"];
  if (typeof current !== "string" || current === "") {
    located([], 'has no "current-context"; set it to the context Flotilla should use');
    return issues;
  }
  const named = (list: string, name: unknown): [number, Record<string, unknown>] | undefined => {
    const items = config[list];
    if (!Array.isArray(items)) return undefined;
    const i = items.findIndex((item) => (item as { name?: unknown } | null)?.name === name);
    return i < 0 ? undefined : [i, items[i] as Record<string, unknown>];
  };
  const context = named("contexts", current);
  if (context === undefined) {
    located(["current-context"], `current-context names context "${current}", which is not in "contexts"`);
    return issues;
  }
  const { cluster: clusterName, user: userName } = (context[1].context ?? {}) as { cluster?: unknown; user?: unknown };
  const cluster = named("clusters", clusterName);
  if (cluster === undefined) {
    located(
      ["contexts", context[0], "context", "cluster"],
      `context "${current}" names a cluster that is not in "clusters"`,
    );
  } else {
    const kubeServer = (cluster[1].cluster as { server?: unknown } | undefined)?.server;
    const where = ["clusters", cluster[0], "cluster", "server"];
    if (typeof kubeServer !== "string" || kubeServer === "") {
      located(where, `cluster of context "${current}" has no server`);
    } else if (normalizeServer(kubeServer) !== normalizeServer(server)) {
      located(
        where,
        `points at ${kubeServer}, but the registration's server is ${server}; register the server the kubeconfig reaches (the credentials are bound to it)`,
      );
    }
  }
  if (named("users", userName) === undefined) {
    located(["contexts", context[0], "context", "user"], `context "${current}" names a user that is not in "users"`);
  }
  return issues;
}

/** `https://h:6443/` and `https://h:6443` are one server. */
function normalizeServer(server: string): string {
  try {
    const url = new URL(server);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    return server;
  }
}
