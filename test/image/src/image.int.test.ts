import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dumbHttpGitServer, type LocalServer } from "@flotilla/git/testing";
import { apiRequest, type ClusterInfo, eventually, freePort, probeHttp, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type ContainerSpec,
  containerLogs,
  exitedContainers,
  listContainers,
  removeContainers,
  runContainer,
  startContainer,
  stopContainer,
} from "./containers.ts";
import { serviceAccountKubeconfig } from "./service-account.ts";

// The image as an operator runs it: generator, API and two pool workers started from it with Podman (host network,
// read-only root, uid 10001) against the test bed's Redis and clusters; clusters registered with the image's own
// CLI; a fleet in a real Git repository served over HTTP. Then an agent from the image with only a service-account
// token of its cluster. Every container is removed at the end, whatever happened.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const PREFIX = `flotilla-image-test-${process.pid}-`;
const UID = 10001;
const APPSET = "image-fleet";

function fleetFiles(repoURL: string): Record<string, string> {
  return {
    "appsets/fleet.yaml": `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${APPSET} }
spec:
  generators:
    - clusters: { selector: { matchLabels: { fleet: image } } }
  template:
    metadata: { name: "web-{{name}}" }
    spec:
      source: { repoURL: "${repoURL}", targetRevision: main, path: apps/web }
      destination: { cluster: "{{name}}", namespace: image-web }
      syncPolicy:
        automated: { prune: true, selfHeal: true }
        syncOptions: [ CreateNamespace=true ]
`,
    "apps/web/configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata: { name: web-config }
data: { greeting: "hello from the image" }
`,
  };
}

interface AppSummary {
  application: string;
  cluster: string;
  sync: string;
  health: string;
}

describeWithClusters("the container image runs a fleet", (clusters: ClusterInfo[]) => {
  const [alpha, bravo, charlie] = clusters as [ClusterInfo, ClusterInfo, ClusterInfo];
  const work = mkdtempSync(join(tmpdir(), "flotilla-image-"));
  const token = randomBytes(24).toString("base64url");
  const shared: Record<string, string> = {};
  let image = "";
  let apiUrl = "";
  let git: LocalServer | undefined;
  const services: string[] = [];

  const spec = (name: string, args: string[], env: Record<string, string> = {}, mounts = {}): ContainerSpec => ({
    name: `${PREFIX}${name}`,
    image,
    args,
    env: { ...shared, ...env },
    mounts,
  });

  async function service(name: string, args: string[], env: Record<string, string>): Promise<void> {
    await startContainer(spec(name, args, env));
    services.push(`${PREFIX}${name}`);
  }

  /** A file the container's user (and only it) reads, mounted read-only. */
  function privateFile(name: string, content: string): string {
    const file = join(work, name);
    writeFileSync(file, content, { mode: 0o600 });
    chownSync(file, UID, UID);
    return file;
  }

  async function applications(): Promise<AppSummary[]> {
    const res = await fetch(`${apiUrl}/api/v1/applications?appset=${APPSET}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`applications: HTTP ${res.status}`);
    return ((await res.json()) as { items: AppSummary[] }).items;
  }

  async function convergedOn(names: string[]): Promise<AppSummary[]> {
    const outcome = await eventually<{ ended: string[] } | { apps: AppSummary[] }>(
      `${names.join(", ")} Synced and Healthy`,
      async () => {
        // A service that ended will not bring convergence: fail now, with the logs, rather than at the time-out.
        const ended = await exitedContainers(services);
        if (ended.length > 0) return { ended };
        const apps = (await applications()).filter((a) => names.includes(a.cluster));
        const done = apps.length === names.length && apps.every((a) => a.sync === "Synced" && a.health === "Healthy");
        return done ? { apps } : undefined;
      },
      200_000,
      1_000,
    );
    if ("ended" in outcome) throw new Error(`${outcome.ended.join(", ")} ended:\n${await logsOfAll()}`);
    return outcome.apps;
  }

  async function configMapOn(cluster: ClusterInfo): Promise<Record<string, string>> {
    const res = await apiRequest(cluster, "/api/v1/namespaces/image-web/configmaps/web-config");
    expect(res.status).toBe(200);
    return (JSON.parse(res.body) as { data: Record<string, string> }).data;
  }

  async function logsOfAll(): Promise<string> {
    const out: string[] = [];
    for (const name of services) out.push(`--- ${name}\n${(await containerLogs(name)).slice(-4000)}`);
    return out.join("\n");
  }

  beforeAll(async () => {
    // Cached by its inputs' digest (the set-up built it): seconds unless the sources changed since.
    image = execFileSync("bash", [join(root, "scripts/image/build.sh")], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 600_000,
    }).trim();
    await removeContainers(PREFIX);

    const fleet = new TestGitRepo(join(work, "fleet"));
    git = await dumbHttpGitServer(join(fleet.dir, ".git"));
    fleet.commit(fleetFiles(git.url), "fleet: web on every image cluster");
    fleet.git("update-server-info");

    const redis = testbedRedis();
    Object.assign(shared, {
      FLOTILLA_REDIS_URL: redis.url,
      FLOTILLA_REDIS_PREFIX: `image-${process.pid}:`,
      FLOTILLA_LOG_LEVEL: "info",
    });
    const key = randomBytes(32).toString("base64");
    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    await service("api", ["api"], {
      FLOTILLA_API_HOST: "127.0.0.1",
      FLOTILLA_API_PORT: String(apiPort),
      FLOTILLA_API_TOKEN: token,
      FLOTILLA_ENCRYPTION_KEY: key,
    });
    // The API first, ready before the rest start: on a loaded machine four Node start-ups at once take minutes.
    try {
      await eventually(
        "the API's /readyz 200",
        async () => ((await probeHttp(apiPort, "/readyz"))?.status === 200 ? true : undefined),
        300_000,
        1_000,
      );
    } catch (err) {
      throw new Error(`the API from the image did not become ready:\n${await logsOfAll()}`, { cause: err });
    }
    await service("generator", ["generator"], {
      FLOTILLA_FLEET_REPO: git.url,
      FLOTILLA_FLEET_REVISION: "main",
      FLOTILLA_APPSET_PATHS: "appsets/*.yaml",
      FLOTILLA_POLL_INTERVAL: "2s",
      FLOTILLA_WEBHOOK_PORT: String(await freePort()),
      FLOTILLA_WEBHOOK_SECRET: randomBytes(16).toString("hex"),
    });
    for (const id of ["worker-1", "worker-2"]) {
      await service(id, ["worker"], {
        FLOTILLA_MODE: "pool",
        FLOTILLA_WORKER_ID: id,
        FLOTILLA_ENCRYPTION_KEY: key,
        FLOTILLA_RESYNC_INTERVAL: "0",
      });
    }
  });

  afterAll(async () => {
    await removeContainers(PREFIX);
    await git?.close();
    rmSync(work, { recursive: true, force: true });
    expect(await listContainers(PREFIX)).toEqual([]);
  });

  it("runs as uid 10001 on a read-only root, with only the writable paths writable", async () => {
    const r = await runContainer({
      ...spec("probe", []),
      args: [],
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: flotilla/);
    const check = execFileSync(
      "podman",
      [
        "exec",
        `${PREFIX}api`,
        "sh",
        "-c",
        "id -u; touch /opt/flotilla/x 2>/dev/null && echo app-writable; touch /var/lib/flotilla/x /tmp/x && echo data-writable",
      ],
      { encoding: "utf8" },
    );
    expect(check.split("\n").filter((l) => l !== "")).toEqual([String(UID), "data-writable"]);
  });

  it("clusters registered with the image's CLI converge to Synced and Healthy", { timeout: 300_000 }, async () => {
    for (const cluster of [alpha, bravo]) {
      const kubeconfig = privateFile(`${cluster.name}.kubeconfig`, cluster.kubeconfig);
      const add = await runContainer(
        spec(
          `cli-${cluster.name}`,
          ["cluster", "add", cluster.name, "--kubeconfig", "/etc/flotilla/kubeconfig", "--label", "fleet=image"],
          { FLOTILLA_SERVER: apiUrl, FLOTILLA_TOKEN: token },
          { [kubeconfig]: "/etc/flotilla/kubeconfig" },
        ),
      );
      expect(add.stderr).toBe("");
      expect(add.code).toBe(0);
      expect(add.stdout).toContain(cluster.name);
    }
    try {
      const apps = await convergedOn([alpha.name, bravo.name]);
      expect(apps.map((a) => a.application).sort()).toEqual([`web-${alpha.name}`, `web-${bravo.name}`]);
    } catch (err) {
      throw new Error(`the fleet did not converge:\n${await logsOfAll()}`, { cause: err });
    }
    for (const cluster of [alpha, bravo])
      expect(await configMapOn(cluster)).toEqual({ greeting: "hello from the image" });
    const status = await runContainer(
      spec("cli-status", ["status", "--appset", APPSET, "--wait", "--timeout", "2m"], {
        FLOTILLA_SERVER: apiUrl,
        FLOTILLA_TOKEN: token,
      }),
    );
    expect(status.stdout).toContain("all is well");
    expect(status.code).toBe(0);
  });

  it("an agent from the image, holding only a service-account token of its cluster, syncs that cluster", {
    timeout: 300_000,
  }, async () => {
    const kubeconfig = await serviceAccountKubeconfig({
      admin: charlie,
      clusterName: charlie.name,
      namespace: "flotilla-system",
      name: "flotilla-agent",
      clusterRole: "cluster-admin",
    });
    expect(kubeconfig).not.toContain(charlie.token);
    expect(kubeconfig).not.toContain("client-certificate");
    const add = await runContainer(
      spec("cli-agent", ["cluster", "add", charlie.name, "--agent", "--label", "fleet=image", "-o", "json"], {
        FLOTILLA_SERVER: apiUrl,
        FLOTILLA_TOKEN: token,
      }),
    );
    expect(add.code).toBe(0);
    const agentEnv = (JSON.parse(add.stdout) as { agent: { env: Record<string, string> } }).agent.env;
    expect(agentEnv.FLOTILLA_MODE).toBe("agent");
    expect(agentEnv.FLOTILLA_CLUSTER).toBe(charlie.name);
    const file = privateFile("agent.kubeconfig", kubeconfig);
    // Only what `cluster add --agent` printed and the kubeconfig: no fleet key, no admin Redis URL.
    await startContainer({
      name: `${PREFIX}agent`,
      image,
      args: ["worker"],
      env: { ...agentEnv, FLOTILLA_KUBECONFIG: "/etc/flotilla/kubeconfig", FLOTILLA_RESYNC_INTERVAL: "0" },
      mounts: { [file]: "/etc/flotilla/kubeconfig" },
    });
    services.push(`${PREFIX}agent`);
    try {
      await convergedOn([charlie.name]);
    } catch (err) {
      throw new Error(`the agent did not sync its cluster:\n${await logsOfAll()}`, { cause: err });
    }
    expect(await configMapOn(charlie)).toEqual({ greeting: "hello from the image" });
  });

  it("every service stops on SIGTERM with exit code 0", async () => {
    const codes: Record<string, number> = {};
    for (const name of [...services].reverse()) codes[name.slice(PREFIX.length)] = await stopContainer(name);
    expect(codes).toEqual({ agent: 0, "worker-2": 0, "worker-1": 0, generator: 0, api: 0 });
  });
});
