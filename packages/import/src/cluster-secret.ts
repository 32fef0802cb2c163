import { clusterNameProblem, labelKeyProblem, labelValueProblem } from "@flotilla/core";
import { stringify } from "yaml";
import type { DocumentContext } from "./document-context.ts";
import { describe, isMap, type JsonMap } from "./fields.ts";

export const SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

/** A cluster to register with `flotilla cluster add NAME --kubeconfig FILE --label k=v…`. */
export interface ClusterRegistration {
  name: string;
  server: string;
  labels: Record<string, string>;
  /** A kubeconfig with one context, holding the Secret's credentials: write it 0600, never print it. */
  kubeconfig: string;
  file: string;
  line: number;
}

const CONFIG_FIELDS = ["bearerToken", "username", "password", "tlsClientConfig", "proxyUrl", "disableCompression"];
const CONFIG_REFUSED: Readonly<Record<string, string>> = {
  execProviderConfig:
    "execProviderConfig (a program that makes credentials) is not supported: Flotilla's pool workers hold inline credentials only; register the cluster with a bearer token or client certificate, or run a Flotilla agent in it",
  awsAuthConfig:
    "awsAuthConfig (credentials from AWS IAM) is not supported: register the cluster with a bearer token or client certificate, or run a Flotilla agent in it",
};
const TLS_FIELDS = ["insecure", "serverName", "caData", "certData", "keyData"];

/**
 * An Argo CD cluster Secret (`argocd.argoproj.io/secret-type: cluster`) as a Flotilla registration: its `name`,
 * `server` and `config` (from `stringData`, or base64 `data`), its labels minus Argo CD's own. Messages name
 * fields, never their values: a Secret's values are credentials.
 */
export function convertClusterSecret(
  ctx: DocumentContext,
  doc: JsonMap,
): Omit<ClusterRegistration, "file" | "line"> | undefined {
  const metadata = isMap(doc["metadata"]) ? doc["metadata"] : {};
  const fields = secretFields(ctx, doc);
  if (fields === undefined) return undefined;
  const { at } = fields;
  const name = fields.values["name"];
  const server = fields.values["server"];
  if (name === undefined) return void ctx.invalid(at("name"), "a cluster Secret needs name");
  if (server === undefined) return void ctx.invalid(at("server"), "a cluster Secret needs server");
  const nameProblem = clusterNameProblem(name);
  if (nameProblem !== undefined) {
    return void ctx.unsupported(at("name"), `cluster name ${JSON.stringify(name)} ${nameProblem} (Flotilla's rule)`);
  }
  if (!/^https?:\/\/[^\s]+$/.test(server)) {
    return void ctx.invalid(at("server"), "expected an http(s) URL of the cluster's API server");
  }
  for (const field of ["project", "namespaces", "clusterResources", "shard"]) {
    if (fields.values[field] === undefined) continue;
    if (field === "namespaces" || field === "clusterResources") {
      ctx.unsupported(at(field), `${field} (Argo CD's limit on what it manages in the cluster) has no Flotilla form`);
    } else ctx.note(at(field), `dropped: Flotilla has no ${field === "project" ? "AppProjects" : "controller shards"}`);
  }
  const config = configOf(ctx, fields.values["config"], at("config"));
  if (config === undefined) return undefined;
  const labels = labelsOf(ctx, metadata["labels"]);
  if (labels === undefined || ctx.issues.length > 0) return undefined;
  if (isMap(metadata["annotations"]) && Object.keys(metadata["annotations"]).length > 0) {
    ctx.note(["metadata", "annotations"], "dropped: flotilla cluster add registers labels only");
  }
  return { name, server, labels, kubeconfig: kubeconfigOf(name, server, config) };
}

function secretFields(
  ctx: DocumentContext,
  doc: JsonMap,
): { values: Record<string, string>; at: (field: string) => (string | number)[] } | undefined {
  const values: Record<string, string> = Object.create(null);
  const where: Record<string, (string | number)[]> = Object.create(null);
  for (const section of ["data", "stringData"] as const) {
    const map = doc[section];
    if (map === undefined) continue;
    if (!isMap(map)) return void ctx.invalid([section], `expected a map, got ${describe(map)}`);
    for (const [key, raw] of Object.entries(map)) {
      if (typeof raw !== "string") return void ctx.invalid([section, key], `expected a string, got ${typeof raw}`);
      if (section === "data") {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw.replace(/\s/g, ""))) {
          return void ctx.invalid([section, key], "expected base64 (Secret data is base64-encoded)");
        }
        values[key] = Buffer.from(raw, "base64").toString("utf8");
      } else values[key] = raw;
      where[key] = [section, key];
    }
  }
  return { values, at: (field) => where[field] ?? ["data"] };
}

interface ClusterConfig {
  bearerToken?: string;
  username?: string;
  password?: string;
  insecure?: boolean;
  serverName?: string;
  caData?: string;
  certData?: string;
  keyData?: string;
  proxyUrl?: string;
  disableCompression?: boolean;
}

function configOf(
  ctx: DocumentContext,
  text: string | undefined,
  path: (string | number)[],
): ClusterConfig | undefined {
  if (text === undefined) return void ctx.invalid(path, "a cluster Secret needs config (JSON with its credentials)");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The parser's message quotes the text, which holds credentials: say only that it is not JSON.
    return void ctx.invalid(path, "config is not valid JSON");
  }
  if (!isMap(raw)) return void ctx.invalid(path, "config must be a JSON object");
  let ok = true;
  for (const key of Object.keys(raw)) {
    const why = CONFIG_REFUSED[key];
    if (why !== undefined) {
      ctx.unsupported(path, `config.${key}: ${why}`);
      ok = false;
    } else if (!CONFIG_FIELDS.includes(key)) {
      ctx.invalid(
        path,
        `config.${key}: unknown field; Argo CD's cluster config has ${[...CONFIG_FIELDS, ...Object.keys(CONFIG_REFUSED)].join(", ")}`,
      );
      ok = false;
    }
  }
  const out: ClusterConfig = {};
  for (const key of ["bearerToken", "username", "password", "proxyUrl"] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== "string") {
      ctx.invalid(path, `config.${key}: expected a string`);
      ok = false;
    } else if (v !== "") out[key] = v;
  }
  if (raw["disableCompression"] !== undefined) {
    if (typeof raw["disableCompression"] !== "boolean") {
      ctx.invalid(path, "config.disableCompression: expected true or false");
      ok = false;
    } else out.disableCompression = raw["disableCompression"];
  }
  const tls = raw["tlsClientConfig"];
  if (tls !== undefined) {
    if (!isMap(tls)) return void ctx.invalid(path, "config.tlsClientConfig: expected an object");
    for (const key of Object.keys(tls)) {
      if (!TLS_FIELDS.includes(key)) {
        ctx.invalid(path, `config.tlsClientConfig.${key}: unknown field; expected ${TLS_FIELDS.join(", ")}`);
        ok = false;
      }
    }
    if (tls["insecure"] !== undefined) {
      if (typeof tls["insecure"] !== "boolean") {
        ctx.invalid(path, "config.tlsClientConfig.insecure: expected true or false");
        ok = false;
      } else out.insecure = tls["insecure"];
    }
    for (const key of ["serverName", "caData", "certData", "keyData"] as const) {
      const v = tls[key];
      if (v === undefined) continue;
      if (typeof v !== "string") {
        ctx.invalid(path, `config.tlsClientConfig.${key}: expected a string`);
        ok = false;
      } else if (key !== "serverName" && !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
        ctx.invalid(path, `config.tlsClientConfig.${key}: expected base64-encoded PEM`);
        ok = false;
      } else if (v !== "") out[key] = v;
    }
  }
  if ((out.certData === undefined) !== (out.keyData === undefined)) {
    ctx.invalid(path, "config.tlsClientConfig: certData and keyData go together (a client certificate and its key)");
    ok = false;
  }
  if (out.bearerToken === undefined && out.certData === undefined && out.username === undefined && ok) {
    ctx.unsupported(
      path,
      "config has no credentials (bearerToken, tlsClientConfig certData/keyData, or username/password); Argo CD's in-cluster service account has no Flotilla form: register the cluster with credentials, or run an agent in it",
    );
    ok = false;
  }
  return ok ? out : undefined;
}

function labelsOf(ctx: DocumentContext, value: unknown): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (!isMap(value)) return void ctx.invalid(["metadata", "labels"], `expected a map, got ${describe(value)}`);
  const out: Record<string, string> = {};
  let ok = true;
  for (const [key, v] of Object.entries(value)) {
    // Argo CD's own labels (the secret type, its managed-by marks) describe the Secret, not the cluster.
    if (key.startsWith("argocd.argoproj.io/")) continue;
    const at = ["metadata", "labels", key];
    const problem = typeof v !== "string" ? "expected a string" : (labelKeyProblem(key) ?? labelValueProblem(v));
    if (problem !== undefined) {
      ctx.invalid(at, problem);
      ok = false;
      continue;
    }
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return ok ? out : undefined;
}

function kubeconfigOf(name: string, server: string, config: ClusterConfig): string {
  const cluster: JsonMap = { server };
  if (config.caData !== undefined) cluster["certificate-authority-data"] = config.caData;
  if (config.insecure === true) cluster["insecure-skip-tls-verify"] = true;
  if (config.serverName !== undefined) cluster["tls-server-name"] = config.serverName;
  if (config.proxyUrl !== undefined) cluster["proxy-url"] = config.proxyUrl;
  if (config.disableCompression === true) cluster["disable-compression"] = true;
  const user: JsonMap = {};
  if (config.bearerToken !== undefined) user["token"] = config.bearerToken;
  if (config.certData !== undefined) user["client-certificate-data"] = config.certData;
  if (config.keyData !== undefined) user["client-key-data"] = config.keyData;
  if (config.username !== undefined) user["username"] = config.username;
  if (config.password !== undefined) user["password"] = config.password;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  });
}
