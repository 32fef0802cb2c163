import type { Application } from "@flotilla/core";
import type { SyncJob, SyncQueues, SyncSource } from "@flotilla/queue";
import type { Store } from "@flotilla/store";
import type { AppRef } from "./app-ref.ts";
import type { StatusStore } from "./status-store.ts";
import type { SyncRequest } from "./sync-requests.ts";

/** Where a sync request goes: the request record, the generated Applications, and the cluster's queue. */
export interface SyncRequestTarget {
  status: Pick<StatusStore, "get" | "requests">;
  store: Pick<Store, "applications">;
  queues: Pick<SyncQueues, "enqueueSync">;
}

export interface SyncRequestInput extends AppRef {
  /** Also delete what left Git. @defaultValue false */
  prune?: boolean;
}

/**
 * Whether a sync of `app` applies only when asked: a manual policy, or an automated one without selfHeal (which
 * applies what Git changes, yet leaves drift for a person to sync away, as Argo CD does). Its syncs read the
 * pending sync request; a selfHeal Application applies whatever it finds and never needs one.
 */
export function honoursSyncRequests(app: Application): boolean {
  const automated = app.spec.syncPolicy?.automated;
  return automated === undefined || automated.selfHeal !== true;
}

/** What a sync request did. */
export interface SyncRequestOutcome {
  /**
   * The recorded request, where a sync reads one (see `honoursSyncRequests`). Undefined for a selfHeal Application:
   * its policy applies whatever it finds, so only a sync was enqueued and nothing is left to be honoured later.
   */
  request: SyncRequest | undefined;
  /** The desired digest the enqueued job carries: a sync that ran it leaves this digest in the status. */
  desiredDigest: string;
  /** Whether the Application's sync policy is automated (else manual). */
  automated: boolean;
}

/**
 * Asks for one sync of an Application, as `argocd app sync` does: the request is recorded (it survives a commit that
 * replaces the queued state meanwhile) and a prompt sync of the Application as the generator last stored it is
 * enqueued. The worker applies it even though the sync policy is manual, then forgets the request. Undefined when
 * the ApplicationSet generated no such Application for that cluster (nothing is recorded then).
 *
 * This is the store-level operation; the API and the CLI expose it.
 */
export async function requestSync(
  target: SyncRequestTarget,
  input: SyncRequestInput,
): Promise<SyncRequestOutcome | undefined> {
  const stored = await storedJob(target, input);
  if (stored === undefined) return undefined;
  const { cluster, appSet, application } = input;
  const automated = stored.app.spec.syncPolicy?.automated !== undefined;
  // Recorded only where a sync reads it: a request left on a selfHeal Application would fire, unasked, the day its
  // policy changed.
  const request = !honoursSyncRequests(stored.app)
    ? undefined
    : await target.status.requests.request(
        { cluster, appSet, application },
        input.prune === undefined ? {} : { prune: input.prune },
      );
  await target.queues.enqueueSync(stored.job);
  return { request, desiredDigest: stored.job.desiredDigest, automated };
}

/** What a refresh asked for. */
export interface RefreshOutcome {
  /** `sync` for an automated Application (its policy applies what it finds); `compare` for a manual one. */
  enqueued: "sync" | "compare";
  desiredDigest: string;
}

/**
 * Re-checks an Application now (`argocd app get --refresh`): a prompt job of its stored desired state that
 * compares with the cluster even when the watches vouch for it. An automated Application then syncs as its policy
 * says; a manual one is only compared (no request is recorded, so nothing is applied). Undefined when the
 * ApplicationSet generated no such Application for that cluster. Reading Git anew is the generator's part: the
 * caller asks it for a cycle.
 */
export async function requestRefresh(target: SyncRequestTarget, ref: AppRef): Promise<RefreshOutcome | undefined> {
  const stored = await storedJob(target, ref);
  if (stored === undefined) return undefined;
  await target.queues.enqueueSync({ ...stored.job, refresh: true });
  const automated = stored.app.spec.syncPolicy?.automated !== undefined;
  return { enqueued: automated ? "sync" : "compare", desiredDigest: stored.job.desiredDigest };
}

/** The sync job of an Application as the generator last stored it; undefined when it is not generated there. */
async function storedJob(
  target: SyncRequestTarget,
  ref: AppRef,
): Promise<{ app: Application; job: SyncJob } | undefined> {
  const { cluster, appSet, application } = ref;
  const applications = target.store.applications;
  const [app, desiredDigests, [source], status] = await Promise.all([
    applications.get(appSet, application),
    applications.desiredDigests(appSet),
    applications.sources(appSet, [application]),
    target.status.get({ cluster, appSet, application }),
  ]);
  if (app === undefined || app.spec.destination.cluster !== cluster) return undefined;
  const job: SyncJob = {
    appSet,
    application,
    cluster,
    desiredDigest: desiredDigests.get(application) ?? status?.desiredDigest ?? "requested",
    revision: status?.fleetRevision ?? "requested",
    app,
    ...(source !== undefined && { source: source as SyncSource }),
  };
  return { app, job };
}
