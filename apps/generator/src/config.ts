import { readFileSync } from "node:fs";
import {
  durationSchema,
  formatFieldPath,
  parseYamlDocuments,
  type SourceDocument,
  schemaIssues,
  ValidationError,
} from "@flotilla/core";
import { SKIP_POLICY_CHECK_ENV } from "@flotilla/store";
import { z } from "zod";

const configSchema = z.strictObject({
  fleet: z.strictObject({
    repoURL: z.string().min(1),
    revision: z.string().min(1).default("HEAD"),
    /** Globs of ApplicationSet files inside the fleet repository. */
    paths: z.array(z.string().min(1)).min(1).default(["**/*.yaml", "**/*.yml"]),
  }),
  /** In milliseconds once parsed. @defaultValue 3m */
  pollInterval: durationSchema
    .refine((ms) => ms > 0, "must be longer than 0 (the generator would never rest)")
    .default(180_000),
  /**
   * How often the rollout controller looks at the workers' status and releases the next Applications of a
   * RollingSync rollout. In milliseconds once parsed. FLOTILLA_ROLLOUT_TICK. @defaultValue 2s
   */
  rolloutTick: durationSchema
    .refine((ms) => ms > 0, "must be longer than 0 (rollouts would never move)")
    .default(2_000),
  webhook: z
    .strictObject({ port: z.number().int().min(0).max(65535).default(8080), secret: z.string().default("") })
    .default({ port: 8080, secret: "" }),
  redis: z
    .strictObject({
      url: z.string().min(1).default("redis://127.0.0.1:6379"),
      prefix: z.string().default("flotilla:"),
      /** For a managed Redis that refuses CONFIG: the operator vouches for `maxmemory-policy noeviction`. */
      skipPolicyCheck: z.boolean().default(false),
    })
    .default({ url: "redis://127.0.0.1:6379", prefix: "flotilla:", skipPolicyCheck: false }),
  repoCacheDir: z.string().optional(),
  /**
   * Whether ApplicationSets (and the fleet repository) may name local paths and file:// URLs: off, Git reads
   * only remote repositories. The demo and the tests turn it on. FLOTILLA_ALLOW_LOCAL_REPOS.
   */
  allowLocalRepos: z.boolean().default(false),
  /**
   * Git credentials by URL prefix (see `loadCredentialsRules` in @flotilla/git): a YAML file naming, per prefix,
   * where each token, password or SSH key is. FLOTILLA_GIT_CREDENTIALS. @defaultValue anonymous access
   */
  gitCredentialsFile: z.string().min(1).optional(),
  /**
   * The generator resolves and renders every Application's source once and publishes the bundle, so workers and
   * agents apply by digest without Git. Off, jobs carry only the spec and pool workers render for themselves.
   */
  render: z
    .strictObject({ enabled: z.boolean().default(true), concurrency: z.number().int().min(1).max(64).default(8) })
    .default({ enabled: true, concurrency: 8 }),
});

export type GeneratorConfig = Omit<z.infer<typeof configSchema>, "pollInterval" | "rolloutTick"> & {
  pollIntervalMs: number;
  /** See `rolloutTick`. @defaultValue 2000 */
  rolloutTickMs?: number;
};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Configuration from an optional YAML file, then the environment on top (what a container sets wins over what
 * an image ships). Secrets may come from files (`FLOTILLA_WEBHOOK_SECRET_FILE`) so they stay out of `env` dumps.
 */
export function loadGeneratorConfig(
  env: Env,
  readFile: (p: string) => string = (p) => readFileSync(p, "utf8"),
): GeneratorConfig {
  const file = env.FLOTILLA_CONFIG;
  let doc: SourceDocument | undefined;
  if (file !== undefined) {
    const { documents, issues } = parseYamlDocuments(readFile(file), file);
    if (issues.length > 0) throw new ValidationError(issues);
    doc = documents[0];
  }
  const result = configSchema.safeParse(overlayEnv((doc?.data as Record<string, unknown>) ?? {}, env, readFile));
  if (!result.success) {
    // A field set only by the environment has no line: it is reported against "environment".
    throw new ValidationError(
      doc !== undefined
        ? schemaIssues(doc, result.error)
        : result.error.issues.map((i) => ({
            file: "environment",
            line: 0,
            column: 0,
            path: formatFieldPath(i.path as (string | number)[]),
            message: i.message,
          })),
    );
  }
  const { pollInterval, rolloutTick, ...rest } = result.data;
  return { ...rest, pollIntervalMs: pollInterval, rolloutTickMs: rolloutTick };
}

function overlayEnv(raw: Record<string, unknown>, env: Env, readFile: (p: string) => string): Record<string, unknown> {
  const obj = (v: unknown) => (v && typeof v === "object" ? { ...(v as Record<string, unknown>) } : {});
  const fleet = obj(raw.fleet);
  const webhook = obj(raw.webhook);
  const redis = obj(raw.redis);
  const render = obj(raw.render);
  if (env.FLOTILLA_FLEET_REPO) fleet.repoURL = env.FLOTILLA_FLEET_REPO;
  if (env.FLOTILLA_FLEET_REVISION) fleet.revision = env.FLOTILLA_FLEET_REVISION;
  if (env.FLOTILLA_APPSET_PATHS) fleet.paths = env.FLOTILLA_APPSET_PATHS.split(",").map((s) => s.trim());
  if (env.FLOTILLA_WEBHOOK_PORT) webhook.port = Number(env.FLOTILLA_WEBHOOK_PORT);
  if (env.FLOTILLA_WEBHOOK_SECRET_FILE) webhook.secret = readFile(env.FLOTILLA_WEBHOOK_SECRET_FILE).trim();
  else if (env.FLOTILLA_WEBHOOK_SECRET) webhook.secret = env.FLOTILLA_WEBHOOK_SECRET;
  if (env.FLOTILLA_REDIS_URL) redis.url = env.FLOTILLA_REDIS_URL;
  if (env.FLOTILLA_REDIS_PREFIX) redis.prefix = env.FLOTILLA_REDIS_PREFIX;
  // A value other than true/false reaches the schema as a string, which refuses it naming the field.
  const skip = env[SKIP_POLICY_CHECK_ENV];
  if (skip) redis.skipPolicyCheck = skip === "true" ? true : skip === "false" ? false : skip;
  if (env.FLOTILLA_RENDER) render.enabled = env.FLOTILLA_RENDER !== "false";
  const out: Record<string, unknown> = { ...raw, fleet, webhook, redis, render };
  if (env.FLOTILLA_POLL_INTERVAL) out.pollInterval = env.FLOTILLA_POLL_INTERVAL;
  if (env.FLOTILLA_ROLLOUT_TICK) out.rolloutTick = env.FLOTILLA_ROLLOUT_TICK;
  if (env.FLOTILLA_REPO_CACHE) out.repoCacheDir = env.FLOTILLA_REPO_CACHE;
  if (env.FLOTILLA_GIT_CREDENTIALS) out.gitCredentialsFile = env.FLOTILLA_GIT_CREDENTIALS;
  const allowLocal = env.FLOTILLA_ALLOW_LOCAL_REPOS;
  // Anything but true/false is left as text, so that validation names the variable's bad value.
  if (allowLocal) out.allowLocalRepos = allowLocal === "true" ? true : allowLocal === "false" ? false : allowLocal;
  return out;
}
