import { type Application, applicationSchema } from "@flotilla/core";
import { z } from "zod";
import { InvalidJobError } from "./errors/invalid-job-error.ts";
import { JOB_DELETE, JOB_SYNC } from "./names.ts";

/** Make one cluster's copy of an Application equal to its desired state. */
export interface SyncJob {
  appSet: string;
  /** The Application's name. */
  application: string;
  cluster: string;
  /**
   * What this job must make true, as one string (spec digest and rendered bundle; see the glossary in
   * `@flotilla/core`'s `spec-digest.ts`): lets a worker skip work it has already done for this exact state.
   */
  desiredDigest: string;
  /** The fleet repository commit the Application was generated from. */
  revision: string;
  app: Application;
  /**
   * The Application's source as the generator resolved and rendered it. A worker applies the named bundle and
   * needs no Git access of its own; without it (an older producer), a worker that may render does so itself.
   */
  source?: SyncSource;
  /**
   * The ApplicationSet that owned this Application name on this cluster until it left Git (a rename): the worker
   * takes over its inventory and objects, deletes nothing for the move, and records the handover in history.
   */
  adoptFrom?: string;
  /**
   * An operator's refresh (`flotilla app refresh`): compare with the cluster even when the watches vouch that
   * nothing changed, so the answer is read now, not inferred. It applies no more than the sync policy would.
   */
  refresh?: boolean;
}

/** A rendered source: the commit `targetRevision` resolved to and the digest of the bundle in the shared store. */
export interface RenderedSource {
  commit: string;
  bundle: string;
}

/**
 * A source that cannot be rendered at that commit (an unknown revision, a bad manifest): retrying the same input
 * cannot help, so the worker records it as the Application's error; a new commit brings a new job.
 */
export interface FailedSource {
  commit?: string;
  failure: { step: "source" | "render"; message: string };
}

export type SyncSource = RenderedSource | FailedSource;

export function isFailedSource(source: SyncSource): source is FailedSource {
  return "failure" in source;
}

/** Remove an Application from a cluster (and its resources, unless they are preserved). */
export interface DeleteJob {
  appSet: string;
  application: string;
  cluster: string;
  /** Keep the Kubernetes objects; forget only the Application. */
  preserveResources: boolean;
  /** The commit at which the Application left Git, for history. */
  revision?: string;
}

export type WorkItem = { kind: typeof JOB_SYNC; job: SyncJob } | { kind: typeof JOB_DELETE; job: DeleteJob };

const name = z.string().min(1).max(253);
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

const syncJobSchema = z.strictObject({
  appSet: name,
  application: name,
  cluster: name,
  desiredDigest: z.string().min(1),
  revision: z.string().min(1),
  app: applicationSchema,
  source: z
    .union([
      z.strictObject({ commit: z.string().regex(COMMIT), bundle: z.string().regex(DIGEST) }),
      z.strictObject({
        commit: z.string().regex(COMMIT).optional(),
        failure: z.strictObject({ step: z.enum(["source", "render"]), message: z.string().max(8192) }),
      }),
    ])
    .optional(),
  adoptFrom: name.optional(),
  refresh: z.boolean().optional(),
});

const deleteJobSchema = z.strictObject({
  appSet: name,
  application: name,
  cluster: name,
  preserveResources: z.boolean(),
  revision: z.string().min(1).optional(),
});

const workItemSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal(JOB_SYNC), job: syncJobSchema }),
  z.strictObject({ kind: z.literal(JOB_DELETE), job: deleteJobSchema }),
]);

/**
 * Checks a work item read back from Redis: whatever produced it (another version, a hand-edited job) the worker
 * acts only on a well-formed item. `what` names the job in the error.
 */
export function parseWorkItem(data: unknown, what: string, expectedCluster?: string): WorkItem {
  const parsed = workItemSchema.safeParse(data);
  if (!parsed.success) {
    throw new InvalidJobError(
      what,
      parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`),
    );
  }
  const item = parsed.data as WorkItem;
  const problems: string[] = [];
  if (item.kind === JOB_SYNC && item.job.app.metadata.name !== item.job.application) {
    problems.push(
      `job.app.metadata.name "${item.job.app.metadata.name}" is not job.application "${item.job.application}"`,
    );
  }
  if (expectedCluster !== undefined && item.job.cluster !== expectedCluster) {
    problems.push(`job.cluster "${item.job.cluster}" arrived on the queue of cluster "${expectedCluster}"`);
  }
  if (problems.length > 0) throw new InvalidJobError(what, problems);
  return item;
}
