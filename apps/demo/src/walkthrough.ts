import type { StatusStore } from "@flotilla/status";
import { type ApiEndpoint, eventually } from "@flotilla/testbed";
import { readDeployment, scaleDeployment } from "./cluster-objects.ts";
import type { FleetRepo } from "./fleet-repo.ts";
import { withImageTag } from "./image-tag.ts";

/** A cluster the walkthrough acts on: its name and how to reach its API server. */
export interface WalkthroughCluster extends ApiEndpoint {
  name: string;
}

export interface WalkthroughOptions {
  /** Every cluster of the demo; the manual change is made on the last one (prod). */
  clusters: readonly WalkthroughCluster[];
  fleet: FleetRepo;
  status: StatusStore;
  /** Tells the generator of a commit, as the Git host's push webhook would. */
  notifyPush: () => Promise<void>;
  say: (line: string) => void;
  /** How long each step may take before the demo reports it as failed. */
  timeoutMs: number;
}

/** The plain-YAML app both steps act on, as the `plain` ApplicationSet deploys it. */
const GUESTBOOK = { appSet: "plain", app: "guestbook", namespace: "guestbook", name: "guestbook" } as const;
const IMAGE = "registry.example/guestbook";
const NEW_TAG = "1.5.0";

/** After convergence: drift reverted, then a commit rolled out — each step checked on the clusters themselves. */
export async function walkthrough(options: WalkthroughOptions): Promise<void> {
  await driftReverted(options);
  await commitRolledOut(options);
}

/** A `kubectl scale` on prod is a write Flotilla did not make: selfHeal puts Git's replica count back. */
async function driftReverted({ clusters, say, timeoutMs }: WalkthroughOptions): Promise<void> {
  const cluster = clusters.at(-1);
  if (cluster === undefined) throw new Error("the walkthrough needs a cluster");
  const target = { namespace: GUESTBOOK.namespace, name: GUESTBOOK.name };
  const before = await readDeployment(cluster, target);
  if (before === undefined) throw new Error(`deployment/${target.name} is missing on ${cluster.name}`);
  const replicas = before.replicas + 2;
  say("walkthrough 1/2: a manual change on a cluster is drift; Flotilla reverts it (selfHeal)");
  await scaleDeployment(cluster, { ...target, replicas, fieldManager: "kubectl-scale" });
  const changedAt = performance.now();
  say(
    `  ${cluster.name}: kubectl scale deployment/${target.name} -n ${target.namespace} --replicas=${replicas} ` +
      `(Git says ${before.replicas}; field manager kubectl-scale)`,
  );
  await eventually(
    `${cluster.name}'s deployment/${target.name} back at ${before.replicas} replicas`,
    async () => ((await readDeployment(cluster, target))?.replicas === before.replicas ? true : undefined),
    timeoutMs,
    25,
  );
  const ms = Math.round(performance.now() - changedAt);
  say(
    `  reverted in ${ms} ms: ${cluster.name}'s deployment/${target.name} is back to ${plural(before.replicas, "replica")}`,
  );
}

/** A new image tag committed to the fleet repository reaches every cluster, and each reports it Synced and Healthy. */
async function commitRolledOut(options: WalkthroughOptions): Promise<void> {
  const { clusters, fleet, status, say, timeoutMs } = options;
  say("walkthrough 2/2: a commit to the fleet repository rolls out to every cluster");
  const file = `apps/${GUESTBOOK.app}/${GUESTBOOK.app}.yaml`;
  const message = `${GUESTBOOK.app}: image ${NEW_TAG}`;
  const commit = fleet.commitEdit({ file, message, edit: (text) => withImageTag(text, IMAGE, NEW_TAG) });
  const committedAt = performance.now();
  await options.notifyPush();
  const image = `${IMAGE}:${NEW_TAG}`;
  say(`  committed ${commit.slice(0, 12)} "${message}" (${file}); the push webhook told the generator`);
  const target = { namespace: GUESTBOOK.namespace, name: GUESTBOOK.name };
  await eventually(
    `${image} Synced and Healthy at ${commit.slice(0, 12)} on every cluster`,
    async () => {
      for (const cluster of clusters) {
        const deployment = await readDeployment(cluster, target);
        if (deployment?.image !== image || deployment.commit !== commit) return undefined;
        const app = await status.get({
          cluster: cluster.name,
          appSet: GUESTBOOK.appSet,
          application: `${GUESTBOOK.app}-${cluster.name}`,
        });
        if (app?.revision !== commit || app.sync !== "Synced" || app.health !== "Healthy") return undefined;
      }
      return true;
    },
    timeoutMs,
    100,
  );
  const seconds = ((performance.now() - committedAt) / 1000).toFixed(1);
  say(
    `  rolled out to ${clusters.length} clusters in ${seconds} s: ${clusters.map((c) => c.name).join(", ")} ` +
      `run ${image}, Synced and Healthy at ${commit.slice(0, 12)}`,
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
