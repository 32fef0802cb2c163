import type { AppRef, StatusStore } from "@flotilla/status";
import { conflict, notFound } from "../errors.ts";

/**
 * The Application a request names. Its ApplicationSet may be left out when exactly one has an Application of that
 * name on the cluster (one owner per name is the rule; a handover in progress can leave two): none is a 404, more
 * than one a 409 listing them.
 */
export async function resolveApp(
  status: Pick<StatusStore, "appSetsOf">,
  request: { cluster: string; application: string; appSet: string | undefined },
): Promise<AppRef> {
  const { cluster, application } = request;
  if (request.appSet !== undefined) return { cluster, appSet: request.appSet, application };
  const appSets = await status.appSetsOf(cluster, application);
  const [only, ...others] = appSets;
  if (only === undefined) throw notFound(`Application "${application}" on cluster "${cluster}"`);
  if (others.length > 0) {
    throw conflict(
      `Application "${application}" on cluster "${cluster}" is in ApplicationSets ${appSets.join(", ")}; name one with ?appset=`,
    );
  }
  return { cluster, appSet: only, application };
}
