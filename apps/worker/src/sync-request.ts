import type { SyncJob, SyncQueues, SyncSource } from "@flotilla/queue";
import type { AppRef, StatusStore, SyncRequest } from "@flotilla/status";
import type { Store } from "@flotilla/store";

/** Where a sync request goes: the request record, the generated Applications, and the cluster's queue. */
export interface SyncRequestTarget {
  status: StatusStore;
  store: Pick<Store, "applications">;
  queues: Pick<SyncQueues, "enqueueSync">;
}

export interface SyncRequestInput extends AppRef {
  /** Also delete what left Git. @defaultValue false */
  prune?: boolean;
}

/** What a sync request did. */
export interface SyncRequestOutcome {
  /**
   * The recorded request, for a manual Application. Undefined for an automated one: its policy already applies
   * every change (and decides prune), so only a sync was enqueued and nothing is left to be honoured later.
   */
  request: SyncRequest | undefined;
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
  const { cluster, appSet, application } = input;
  const applications = target.store.applications;
  const [app, desiredDigests, [source], status] = await Promise.all([
    applications.get(appSet, application),
    applications.desiredDigests(appSet),
    applications.sources(appSet, [application]),
    target.status.get({ cluster, appSet, application }),
  ]);
  if (app === undefined || app.spec.destination.cluster !== cluster) return undefined;
  // Recorded only where a sync reads it: a request left on an automated Application would fire, unasked, the day
  // its policy became manual.
  const request =
    app.spec.syncPolicy?.automated === undefined
      ? await target.status.requests.request(
          { cluster, appSet, application },
          input.prune === undefined ? {} : { prune: input.prune },
        )
      : undefined;
  const job: SyncJob = {
    appSet,
    application,
    cluster,
    desiredDigest: desiredDigests.get(application) ?? status?.desiredDigest ?? "requested",
    revision: status?.fleetRevision ?? "requested",
    app,
    ...(source !== undefined && { source: source as SyncSource }),
  };
  await target.queues.enqueueSync(job);
  return { request };
}
