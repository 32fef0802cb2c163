import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dumbHttpGitServer, type LocalServer } from "@flotilla/git/testing";
import { StatusStore } from "@flotilla/status";
import { openStore } from "@flotilla/store";
import { eventually, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Service, startPoolWorker, startService, stopService } from "./processes.ts";

// Every service as its own process (generator, pool worker, CLI), at debug level, through a real sync from a
// private repository, with secrets whose values the test knows: none of them may reach any log or output.
const root = fileURLToPath(new URL("../../../", import.meta.url));

describeWithClusters("secrets never reach a log line (generator, worker and CLI processes)", (clusters) => {
  const [kubeconfigCluster, tokenCluster] = clusters as [(typeof clusters)[0], (typeof clusters)[0]];
  const work = mkdtempSync(join(tmpdir(), "flotilla-secrets-"));
  const prefix = `secrets-${randomBytes(3).toString("hex")}:`;
  const redisUser = `flotilla-logs-${randomBytes(3).toString("hex")}`;
  const redisPassword = `redis-pa55-${randomBytes(8).toString("hex")}`;
  const gitPassword = `git-pa55-${randomBytes(8).toString("hex")}`;
  const webhookSecret = `hook-${randomBytes(8).toString("hex")}`;
  const encryptionKey = randomBytes(32);
  const services: Service[] = [];
  let sshPrivateKey = "";
  let admin: Redis;
  let gitServer: LocalServer;
  let source: TestGitRepo;
  let fleet: TestGitRepo;

  const secrets = (): [string, string][] => [
    ["the kubeconfig cluster's token", kubeconfigCluster.token],
    ["the token cluster's token", tokenCluster.token],
    ["the Redis password", redisPassword],
    ["the Git password", gitPassword],
    ["the Git basic header", Buffer.from(`bot:${gitPassword}`).toString("base64")],
    ["the webhook secret", webhookSecret],
    ["the encryption key", encryptionKey.toString("base64")],
    ["the encryption key (hex)", encryptionKey.toString("hex")],
    // The body of the key, one line of it is enough to be a leak.
    ["the SSH private key", sshPrivateKey.split("\n")[1] ?? "missing"],
  ];

  beforeAll(async () => {
    const redisUrl = new URL(testbedRedis().url);
    admin = new Redis(redisUrl.toString(), { maxRetriesPerRequest: null });
    await admin.call("ACL", "SETUSER", redisUser, "reset", "on", `>${redisPassword}`, "~*", "&*", "+@all");
    redisUrl.username = redisUser;
    redisUrl.password = redisPassword;

    // A private source repository over HTTP with basic auth.
    source = new TestGitRepo();
    source.commit({
      "apps/settings/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { a: '1' }\n",
    });
    const bare = join(work, "source.git");
    execFileSync("git", ["clone", "--quiet", "--bare", source.dir, bare]);
    execFileSync("git", ["update-server-info"], { cwd: bare });
    gitServer = await dumbHttpGitServer(bare, `Basic ${Buffer.from(`bot:${gitPassword}`).toString("base64")}`);

    const secretsDir = join(work, "secrets");
    mkdirSync(secretsDir, { mode: 0o700 });
    writeFileSync(join(secretsDir, "git-password"), gitPassword, { mode: 0o600 });
    writeFileSync(join(secretsDir, "encryption.key"), encryptionKey.toString("base64"), { mode: 0o600 });
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(secretsDir, "id_ed25519")]);
    sshPrivateKey = readFileSync(join(secretsDir, "id_ed25519"), "utf8");
    writeFileSync(
      join(secretsDir, "git-credentials.yaml"),
      `- urlPrefix: http://127.0.0.1
  kind: https-basic
  username: bot
  passwordFile: ${join(secretsDir, "git-password")}
- urlPrefix: ssh://git@git.example/
  kind: ssh-key
  privateKeyFile: ${join(secretsDir, "id_ed25519")}
`,
    );

    const store = await openStore({ redis: admin, prefix, encryptionKey, log: pino({ level: "silent" }) });
    await store.clusters.register({
      name: kubeconfigCluster.name,
      server: kubeconfigCluster.apiUrl,
      labels: { secrets: "yes" },
      mode: "pool",
      credentials: { kind: "kubeconfig", kubeconfig: kubeconfigCluster.kubeconfig },
    });
    await store.clusters.register({
      name: tokenCluster.name,
      server: tokenCluster.apiUrl,
      labels: { secrets: "yes" },
      mode: "pool",
      credentials: {
        kind: "token",
        token: tokenCluster.token,
        caData: Buffer.from(tokenCluster.caPem).toString("base64"),
      },
    });

    fleet = new TestGitRepo();
    fleet.commit({
      "appsets/private.yaml": `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: private }
spec:
  generators:
    - matrix:
        generators:
          - git: { repoURL: ${gitServer.url}, revision: main, directories: [ { path: "apps/*" } ] }
          - clusters: { selector: { matchLabels: { secrets: "yes" } } }
  template:
    metadata: { name: "{{path.basename}}-{{name}}" }
    spec:
      source: { repoURL: ${gitServer.url}, targetRevision: main, path: "{{path}}" }
      destination: { cluster: "{{name}}", namespace: ${prefix.slice(0, -1)} }
      syncPolicy: { automated: { prune: true }, syncOptions: [CreateNamespace=true] }
`,
    });

    const common = {
      FLOTILLA_REDIS_URL: redisUrl.toString(),
      FLOTILLA_REDIS_PREFIX: prefix,
      FLOTILLA_LOG_LEVEL: "debug",
      FLOTILLA_ALLOW_LOCAL_REPOS: "true",
      FLOTILLA_GIT_CREDENTIALS: join(secretsDir, "git-credentials.yaml"),
    };
    services.push(
      startService(
        "generator",
        join(root, "apps/generator/src/main.ts"),
        {
          ...common,
          FLOTILLA_FLEET_REPO: fleet.dir,
          FLOTILLA_FLEET_REVISION: "main",
          FLOTILLA_APPSET_PATHS: "appsets/*.yaml",
          FLOTILLA_POLL_INTERVAL: "5s",
          FLOTILLA_WEBHOOK_PORT: "0",
          FLOTILLA_WEBHOOK_SECRET: webhookSecret,
          // The workers render for themselves, so they too read the private repository.
          FLOTILLA_RENDER: "false",
          FLOTILLA_REPO_CACHE: join(work, "repos-generator"),
        },
        join(work, "generator.log"),
      ),
    );
    services.push(
      startPoolWorker({
        id: "worker-1",
        root,
        env: common,
        keyFile: join(secretsDir, "encryption.key"),
        workDir: work,
        logsDir: work,
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => stopService(s)));
    await admin.call("ACL", "DELUSER", redisUser).catch(() => undefined);
    await admin.quit();
    await gitServer?.close();
    source?.remove();
    fleet?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it("syncs from the private repository on both clusters", async () => {
    const status = new StatusStore(admin, { prefix });
    for (const cluster of [kubeconfigCluster, tokenCluster]) {
      await eventually(
        `settings-${cluster.name} synced`,
        async () => {
          const s = await status.get({
            cluster: cluster.name,
            appSet: "private",
            application: `settings-${cluster.name}`,
          });
          return s?.sync === "Synced" ? s : undefined;
        },
        90_000,
      );
    }
    // The private repository was read with the credentials: every request that got content carried them.
    expect(gitServer.requests.some((r) => r.headers.authorization !== undefined)).toBe(true);
  });

  it("no known secret appears in any log or output", () => {
    const logs = services.map((s) => `${s.name}:\n${readFileSync(s.logFile, "utf8")}`);
    const all = logs.join("\n");
    // The logs are really there and at debug level: the test cannot pass on empty files.
    expect(all).toContain("generator started");
    expect(all).toContain("serving cluster");
    expect(all).toContain('"level":20');
    for (const [what, value] of secrets()) {
      expect(value.length, what).toBeGreaterThan(8);
      expect(all.includes(value), `${what} leaked`).toBe(false);
    }
  });
});
