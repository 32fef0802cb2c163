import { parseYamlDocuments } from "@flotilla/core";
import { badRequest } from "../errors.ts";

/** One context picked out of an operator's kubeconfig: what a pool cluster's credentials are. */
export interface PickedContext {
  /** A kubeconfig with only that context, its cluster and its user, the context current (JSON, which is YAML). */
  kubeconfig: string;
  /** The API server of the context's cluster: the record's server, which the credentials are bound to. */
  server: string;
  context: string;
}

const FIELD = "body.kubeconfig";

type Entry = Record<string, unknown>;

/** Fields that point at files on the operator's machine; the stored kubeconfig must carry their contents. */
const FILE_FIELDS = ["certificate-authority", "client-certificate", "client-key", "tokenFile"] as const;

/**
 * Picks `context` (or the current context) out of a kubeconfig, as `kubectl config view --minify --flatten` would,
 * so that a registration stores one cluster's credentials and not every cluster the operator's file reaches.
 * Refusals name the line and field; they never quote the text, which holds tokens and keys.
 */
export function pickContext(text: string, context?: string): PickedContext {
  const parsed = parseYamlDocuments(text, FIELD);
  const first = parsed.issues[0];
  if (first !== undefined) {
    const where = first.line > 0 ? `${FIELD}:${first.line}:${first.column}` : FIELD;
    const why = first.message.replace(/^invalid YAML: /, "");
    throw badRequest(`${where}: is not valid YAML (${why}); its contents are not shown`, FIELD);
  }
  if (parsed.documents.length !== 1) {
    throw badRequest(`${FIELD}: holds ${parsed.documents.length} YAML documents; expected one kubeconfig`, FIELD);
  }
  const doc = parsed.documents[0]!;
  const at = (path: (string | number)[]) => {
    const { line, column } = doc.locate(path);
    return line > 0 ? `${FIELD}:${line}:${column}` : FIELD;
  };
  const config = doc.data;
  if (!isEntry(config)) {
    throw badRequest(`${FIELD}: is not a kubeconfig (expected a mapping with clusters, users and contexts)`, FIELD);
  }
  const wanted = context ?? config["current-context"];
  if (typeof wanted !== "string" || wanted === "") {
    throw badRequest(`${at([])}: has no current-context; pass context to choose one of its contexts`, "body.context");
  }
  const found = named(config, "contexts", wanted);
  if (found === undefined) {
    const names = entries(config, "contexts")
      .map((c) => c.name)
      .filter((n): n is string => typeof n === "string");
    const known = names.length === 0 ? "it has none" : `it has ${names.map((n) => `"${n}"`).join(", ")}`;
    throw badRequest(
      `${at(["contexts"])}: context "${wanted}" is not in the kubeconfig's contexts (${known})`,
      context === undefined ? FIELD : "body.context",
    );
  }
  const [ci, ctx] = found;
  const inner = isEntry(ctx.context) ? ctx.context : {};
  const cluster = named(config, "clusters", inner.cluster);
  if (cluster === undefined) {
    throw badRequest(
      `${at(["contexts", ci, "context", "cluster"])}: context "${wanted}" names a cluster that is not in clusters`,
      FIELD,
    );
  }
  const user = named(config, "users", inner.user);
  if (user === undefined) {
    throw badRequest(
      `${at(["contexts", ci, "context", "user"])}: context "${wanted}" names a user that is not in users`,
      FIELD,
    );
  }
  const server = isEntry(cluster[1].cluster) ? cluster[1].cluster.server : undefined;
  if (typeof server !== "string" || server === "") {
    throw badRequest(
      `${at(["clusters", cluster[0], "cluster"])}: the cluster of context "${wanted}" has no server`,
      FIELD,
    );
  }
  const clusterFields = isEntry(cluster[1].cluster) ? cluster[1].cluster : {};
  const userFields = isEntry(user[1].user) ? user[1].user : {};
  for (const [fields, path] of [
    [clusterFields, ["clusters", cluster[0], "cluster"]],
    [userFields, ["users", user[0], "user"]],
  ] as const) {
    for (const key of FILE_FIELDS) {
      if (fields[key] === undefined) continue;
      throw badRequest(
        `${at([...path, key])}: ${key} names a file, which the pool workers cannot read; inline it (kubectl config view --minify --flatten --context ${wanted})`,
        FIELD,
      );
    }
  }
  for (const key of ["exec", "auth-provider"]) {
    if (userFields[key] === undefined) continue;
    throw badRequest(
      `${at(["users", user[0], "user", key])}: ${key} credentials run a program on the workers and are not supported; use a token or a client certificate`,
      FIELD,
    );
  }
  const minified = {
    apiVersion: "v1",
    kind: "Config",
    "current-context": wanted,
    contexts: [ctx],
    clusters: [cluster[1]],
    users: [user[1]],
  };
  return { kubeconfig: JSON.stringify(minified), server, context: wanted };
}

function isEntry(value: unknown): value is Entry {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function entries(config: Entry, list: string): Entry[] {
  const items = config[list];
  return Array.isArray(items) ? items.filter(isEntry) : [];
}

function named(config: Entry, list: string, name: unknown): [number, Entry] | undefined {
  if (typeof name !== "string") return undefined;
  const items = config[list];
  if (!Array.isArray(items)) return undefined;
  const i = items.findIndex((item) => isEntry(item) && item.name === name);
  return i < 0 ? undefined : [i, items[i] as Entry];
}
