import { spawnSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AppStatus, type FleetSummary, StatusStore } from "@flotilla/status";
import { openStore, type Store } from "@flotilla/store";
import {
  type ClusterInfo,
  eventually,
  freePort,
  type ServiceProcess,
  startServiceProcess,
  untilStatus,
} from "@flotilla/testbed";
import { Redis } from "ioredis";
import { pino } from "pino";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const WEBHOOK_SECRET = "faults-webhook-secret";

export interface FaultFleetOptions {
  /** Names the fleet's Redis prefix and temp folder. */
  name: string;
  redisUrl: string;
  /** Registered as pool clusters, labelled `fleet=<name>`, before any service starts. */
  clusters: ClusterInfo[];
  /** The fleet repository (its ApplicationSets under `appsets/`): a local path or an http:// URL. */
  fleetRepo: string;
  /** Pool workers started with the fleet. @defaultValue ["pool-1"] */
  workers?: string[];
  /** Also start the API, for the status summary `flotilla status` prints. @defaultValue false */
  api?: boolean;
  /** @defaultValue "1h": the tests push webhooks; a fault that needs the poll says so. */
  pollInterval?: string;
  /** Added to every service's environment (Git credentials, say). */
  env?: Record<string, string>;
}

/**
 * A running Flotilla as an operator runs it: the generator, pool workers and (optionally) the API, each its own
 * process, on real Redis and real clusters. Recovery settings are short so that a fault's recovery is measured,
 * not BullMQ's defaults: a lease lasts 3 s, a dead worker's job lock 3 s.
 */
export class FaultFleet {
  readonly name: string;
  readonly prefix: string;
  readonly workDir: string;
  readonly conn: Redis;
  readonly store: Store;
  readonly status: StatusStore;
  readonly generator: ServiceProcess;
  readonly workers = new Map<string, ServiceProcess>();
  readonly #options: FaultFleetOptions;
  readonly #key: Buffer;
  readonly #webhookPort: number;
  readonly #all: ServiceProcess[] = [];
  #api: { url: string; token: string } | undefined;

  private constructor(options: FaultFleetOptions, parts: { conn: Redis; store: Store; key: Buffer; port: number }) {
    this.#options = options;
    this.name = options.name;
    this.prefix = `${options.name}:`;
    this.workDir = mkdtempSync(join(tmpdir(), `flotilla-${options.name}-`));
    this.conn = parts.conn;
    this.store = parts.store;
    this.status = new StatusStore(parts.conn, { prefix: this.prefix });
    this.#key = parts.key;
    this.#webhookPort = parts.port;
    this.generator = this.#start(join(ROOT, "apps/generator/src/main.ts"), {
      FLOTILLA_FLEET_REPO: options.fleetRepo,
      FLOTILLA_FLEET_REVISION: "main",
      FLOTILLA_APPSET_PATHS: "appsets/*.yaml",
      FLOTILLA_POLL_INTERVAL: options.pollInterval ?? "1h",
      FLOTILLA_WEBHOOK_PORT: String(parts.port),
      FLOTILLA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      FLOTILLA_REPO_CACHE: join(this.workDir, "repos-generator"),
    });
  }

  static async start(options: FaultFleetOptions): Promise<FaultFleet> {
    const prefix = `${options.name}:`;
    const key = randomBytes(32);
    const conn = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    // The test's own connection rides out a Redis fault like the services do: it reconnects by itself.
    conn.on("error", () => undefined);
    const store = await openStore({ redis: conn, prefix, encryptionKey: key, log: pino({ level: "silent" }) });
    for (const c of options.clusters) {
      await store.clusters.register({
        name: c.name,
        server: c.apiUrl,
        labels: { fleet: options.name },
        mode: "pool",
        credentials: { kind: "kubeconfig", kubeconfig: c.kubeconfig },
      });
    }
    const fleet = new FaultFleet(options, { conn, store, key, port: await freePort() });
    for (const id of options.workers ?? ["pool-1"]) fleet.startWorker(id);
    await untilStatus({ port: fleet.#webhookPort, path: "/readyz", status: 200 });
    if (options.api) await fleet.#startApi();
    return fleet;
  }

  #start(script: string, env: Record<string, string>): ServiceProcess {
    const proc = startServiceProcess({
      script,
      env: {
        FLOTILLA_REDIS_URL: this.#options.redisUrl,
        FLOTILLA_REDIS_PREFIX: this.prefix,
        FLOTILLA_LOG_LEVEL: "info",
        // The fleet and source repositories of these tests are on this machine's disk (or served from it).
        FLOTILLA_ALLOW_LOCAL_REPOS: "true",
        ...this.#options.env,
        ...env,
      },
    });
    this.#all.push(proc);
    return proc;
  }

  /** A pool worker as its own process (a new one, or one restarted under a killed one's id). */
  startWorker(id: string): ServiceProcess {
    const proc = this.#start(join(ROOT, "apps/worker/src/main.ts"), {
      FLOTILLA_MODE: "pool",
      FLOTILLA_WORKER_ID: id,
      FLOTILLA_ENCRYPTION_KEY: this.#key.toString("base64"),
      FLOTILLA_LEASE_TTL: "3s",
      FLOTILLA_LOCK_DURATION: "3s",
      FLOTILLA_STALLED_INTERVAL: "1s",
      FLOTILLA_DRAIN_TIMEOUT: "3s",
      FLOTILLA_GIT_MIN_FETCH_INTERVAL: "0",
      FLOTILLA_REPO_CACHE: join(this.workDir, `repos-${id}-${this.#all.length}`),
    });
    this.workers.set(id, proc);
    return proc;
  }

  async #startApi(): Promise<void> {
    const token = randomBytes(24).toString("base64url");
    const tokenFile = join(this.workDir, "api.token");
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const api = this.#start(join(ROOT, "apps/api/src/main.ts"), {
      FLOTILLA_API_HOST: "127.0.0.1",
      FLOTILLA_API_PORT: "0",
      FLOTILLA_API_TOKEN_FILE: tokenFile,
      FLOTILLA_ENCRYPTION_KEY: this.#key.toString("base64"),
      FLOTILLA_REPO_CACHE: join(this.workDir, "repos-api"),
    });
    // The port the kernel picked, from the API's own "api started" line: nothing can take it in between.
    const port = await eventually(
      "the API's start",
      () => {
        if (api.child.exitCode !== null) throw new Error(`the API exited ${api.child.exitCode}: ${api.stderr()}`);
        const started = api.logs().find((l) => l.msg === "api started");
        return typeof started?.port === "number" ? started.port : undefined;
      },
      60_000,
    );
    await untilStatus({ port, path: "/readyz", status: 200 });
    this.#api = { url: `http://127.0.0.1:${port}`, token };
  }

  /** A signed GitHub push of main to `repo`: how the generator hears of a commit at once. */
  async push(repo: string = this.#options.fleetRepo): Promise<void> {
    const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: repo } }));
    const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
    const res = await fetch(`http://127.0.0.1:${this.#webhookPort}/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature },
      body,
    });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  }

  /** `GET /api/v1/status`: the summary `flotilla status` prints, through the running API. */
  async summary(query = ""): Promise<FleetSummary> {
    if (this.#api === undefined) throw new Error(`fleet ${this.name} was started without the API`);
    const res = await fetch(`${this.#api.url}/api/v1/status${query}`, {
      headers: { authorization: `Bearer ${this.#api.token}` },
    });
    if (res.status !== 200) throw new Error(`GET /api/v1/status answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as FleetSummary;
  }

  /** `flotilla status` run as its own process against this fleet's API, as an operator types it. */
  flotillaStatus(...args: string[]): { code: number | null; stdout: string; stderr: string } {
    if (this.#api === undefined) throw new Error(`fleet ${this.name} was started without the API`);
    const run = spawnSync(process.execPath, [join(ROOT, "apps/cli/src/main.ts"), "status", ...args], {
      env: { PATH: process.env.PATH ?? "", FLOTILLA_SERVER: this.#api.url, FLOTILLA_TOKEN: this.#api.token },
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  appStatus(cluster: string, appSet: string, application: string): Promise<AppStatus | undefined> {
    return this.status.get({ cluster, appSet, application });
  }

  /** Waits until the Application is Synced and Healthy at `revision` (two minutes at most); its status then. */
  syncedAt(cluster: string, appSet: string, application: string, revision: string): Promise<AppStatus> {
    return eventually(
      `${application} Synced and Healthy at ${revision.slice(0, 8)}`,
      async () => {
        const s = await this.appStatus(cluster, appSet, application);
        return s?.sync === "Synced" && s.health === "Healthy" && s.revision === revision ? s : undefined;
      },
      120_000,
      200,
    );
  }

  /** The pool worker holding `cluster` now, from its lease. */
  holderOf(cluster: string): Promise<string | null> {
    return this.conn.get(this.store.keys.lease(`cluster:${cluster}`));
  }

  /** Every process's recent logs and stderr, for a failure message. */
  tail(lines = 5): string {
    return this.#all
      .map((p, i) => {
        const logs = p
          .logs()
          .slice(-lines)
          .map((l) => JSON.stringify(l));
        return `#${i} exit=${p.child.exitCode} signal=${p.child.signalCode}\n${logs.join("\n")}\n${p.stderr().slice(-1000)}`;
      })
      .join("\n");
  }

  async close(): Promise<void> {
    for (const p of this.#all) p.kill();
    await Promise.all(this.#all.map((p) => p.exited));
    await this.conn.quit().catch(() => undefined);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
