import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, syncJob, uniqueName } from "./testing/fixtures.ts";
import { eventually, startTestAgent, type TestAgent } from "./testing/harness.ts";

const APPSET = "health-it";

/** A Deployment whose pods KWOK runs as the test bed's stages say: `image` decides whether they ever get ready. */
function deployment(name: string, image: string, extra = ""): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  progressDeadlineSeconds: 3
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} }${extra} }
    spec:
      containers:
        - name: app
          image: ${image}
          readinessProbe: { httpGet: { path: /healthz, port: 8080 } }
`;
}

describeWithClusters("Application health through a real roll-out (real cluster with KWOK, Redis, Git)", (clusters) => {
  const own = clusters.find((c) => c.runsWorkloads) ?? clusters[0]!;
  const prefix = `${uniqueName("health")}:`;
  const repo = new TestGitRepo();
  let harness: TestAgent;

  beforeAll(async () => {
    harness = await startTestAgent(own, prefix);
  });

  afterAll(async () => {
    await harness.close();
    repo.remove();
  });

  async function syncAndWait(name: string, yaml: string, until: (health: string) => boolean) {
    repo.commit({ [`${name}/deploy.yaml`]: yaml });
    const app = application({ name, repoURL: repo.dir, path: name, cluster: own.name, namespace: uniqueName(name) });
    await harness.queues.enqueueSync(syncJob(APPSET, app));
    return await eventually(
      () => harness.runtime.status.get({ cluster: own.name, appSet: APPSET, application: name }),
      (s) => s?.sync === "Synced" && until(s.health),
      60_000,
      `${name} health settled`,
    );
  }

  it("a Deployment that rolls out is Healthy", async () => {
    const status = await syncAndWait(
      "rolls-out",
      deployment("rolls-out", "registry.invalid/flotilla/web:1"),
      (h) => h === "Healthy",
    );
    expect(status?.health).toBe("Healthy");
  });

  it("a broken image is Degraded once the progress deadline passes, and says why", async () => {
    const status = await syncAndWait(
      "broken-image",
      deployment("broken-image", "unpullable.invalid/flotilla/web:1"),
      (h) => h === "Degraded",
    );
    expect(status?.healthMessage).toMatch(/ImagePullBackOff/);
  });

  it("a failing readiness probe is Degraded the same way", async () => {
    const status = await syncAndWait(
      "unready",
      deployment("unready", "registry.invalid/flotilla/web:1", `, annotations: { flotilla.test/readiness: "fail" }`),
      (h) => h === "Degraded",
    );
    expect(status?.healthMessage).toMatch(/unready|not ready/);
  });
});
