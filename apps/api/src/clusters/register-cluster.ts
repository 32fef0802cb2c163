import { isValidationError, type ValidationIssue } from "@flotilla/core";
import { agentReach } from "@flotilla/status";
import { type AgentIdentity, type ClusterRegistration, isEncryptionKeyError, KEY_FILE_ENV } from "@flotilla/store";
import type { ApiDeps } from "../deps.ts";
import { ApiError, badRequest, conflict } from "../errors.ts";
import { pickContext } from "./kubeconfig-context.ts";
import { checkLabels } from "./labels.ts";

export interface PoolRegistration {
  name: string;
  kubeconfig: string;
  context?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface AgentClusterRegistration {
  name: string;
  mode: "agent";
  server?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** What an agent is started with: shown once, at registration (Redis keeps only a hash of the password). */
export interface JoinSecret {
  user: string;
  password: string;
  /** The ACL rules its Redis user has (no secret among them). */
  rules: string[];
  /** The variables to set on the agent (FLOTILLA_REDIS_URL carries the user and password). */
  env: Record<string, string>;
}

export interface RegisterOptions {
  /** Replace an existing record (pool: new credentials; agent: a new join secret, the old one refused). */
  overwrite: boolean;
}

/** Until an agent-mode cluster is given its server, Applications address it by name only. */
export const agentPlaceholderServer = (name: string) => `agent://${name}`;

/** Registers a pool cluster from a kubeconfig: one context picked out, stored encrypted. */
export async function registerPool(deps: ApiDeps, body: PoolRegistration, options: RegisterOptions): Promise<void> {
  checkLabels(body.labels ?? {}, "body.labels");
  const picked = pickContext(body.kubeconfig, body.context);
  const existing = await refuseExisting(deps, body.name, options);
  const registration: ClusterRegistration = {
    name: body.name,
    server: picked.server,
    mode: "pool",
    labels: body.labels ?? {},
    annotations: body.annotations ?? {},
    credentials: { kind: "kubeconfig", kubeconfig: picked.kubeconfig },
  };
  try {
    await deps.store.clusters.register(registration);
  } catch (err) {
    if (isEncryptionKeyError(err)) {
      throw new ApiError({
        status: 503,
        code: "EncryptionKeyMissing",
        message: `the API cannot store cluster credentials: it was started without an encryption key; set ${KEY_FILE_ENV} (the key the workers use) and restart it`,
      });
    }
    throw asBadRequest(err);
  }
  if (existing === "agent") await deps.store.agentUsers.remove(body.name).catch(() => false);
}

/** Registers an agent-mode cluster and makes its Redis user; the join secret is in this answer only. */
export async function registerAgent(
  deps: ApiDeps,
  body: AgentClusterRegistration,
  options: RegisterOptions,
): Promise<JoinSecret> {
  checkLabels(body.labels ?? {}, "body.labels");
  await refuseExisting(deps, body.name, options);
  try {
    await deps.store.clusters.register({
      name: body.name,
      server: body.server ?? agentPlaceholderServer(body.name),
      mode: "agent",
      labels: body.labels ?? {},
      annotations: body.annotations ?? {},
    });
  } catch (err) {
    throw asBadRequest(err);
  }
  const identity = await deps.store.agentUsers.create(body.name, agentReach(deps.prefix, body.name));
  return joinSecret(deps, body, identity);
}

/** 409 for a name taken (unless overwriting) or a cluster being removed; else the mode of what is there. */
async function refuseExisting(
  deps: ApiDeps,
  name: string,
  options: RegisterOptions,
): Promise<"pool" | "agent" | undefined> {
  const existing = await deps.store.clusters.get(name);
  if (existing === undefined) return undefined;
  if (existing.removing !== undefined) {
    throw conflict(
      `cluster "${name}" is being removed (since ${existing.removing.since}); register it again once it is gone`,
    );
  }
  if (!options.overwrite) {
    throw conflict(
      `cluster "${name}" is registered; pass overwrite=true (flotilla cluster add --overwrite) to replace it`,
    );
  }
  return existing.mode;
}

function joinSecret(deps: ApiDeps, body: AgentClusterRegistration, identity: AgentIdentity): JoinSecret {
  const { host, port, db, tls } = deps.redis.options;
  const url = new URL(`${tls === undefined ? "redis" : "rediss"}://${host ?? "127.0.0.1"}:${port ?? 6379}`);
  url.username = identity.user;
  url.password = identity.password;
  if (db !== undefined && db !== 0) url.pathname = `/${db}`;
  const env: Record<string, string> = {
    FLOTILLA_MODE: "agent",
    FLOTILLA_CLUSTER: body.name,
    FLOTILLA_REDIS_URL: url.toString(),
    FLOTILLA_REDIS_PREFIX: deps.prefix,
  };
  const labels = Object.entries(body.labels ?? {});
  if (labels.length > 0) env.FLOTILLA_LABELS = labels.map(([k, v]) => `${k}=${v}`).join(",");
  return { user: identity.user, password: identity.password, rules: [...identity.rules], env };
}

/** The store's validation, on the request's fields: the kubeconfig is the body's, labels and name are too. */
function asBadRequest(err: unknown): unknown {
  if (!isValidationError(err)) return err;
  const issue = err.issues[0] as ValidationIssue;
  const field = bodyField(issue.path);
  const where = issue.line > 0 ? `${field}:${issue.line}:${issue.column}` : field;
  return badRequest(`${where}: ${issue.message}`, field);
}

function bodyField(path: string): string {
  if (path.startsWith("credentials") || path === "server") return "body.kubeconfig";
  return path === "" ? "body" : `body.${path}`;
}
