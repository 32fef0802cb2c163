import { COMMIT_ANNOTATION } from "@flotilla/kube";
import { type ApiEndpoint, apiRequest } from "@flotilla/testbed";

/** What the walkthrough reads of a Deployment on a cluster. */
export interface DeploymentView {
  replicas: number;
  /** The first container's image. */
  image: string;
  /** The commit Flotilla last applied it from (its `flotilla.dev/commit` annotation). */
  commit: string | undefined;
}

interface DeploymentBody {
  spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
  metadata?: { annotations?: Record<string, string> };
}

const deploymentPath = (namespace: string, name: string) =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`;

/** The Deployment as the cluster has it now; undefined when it does not exist. */
export async function readDeployment(
  cluster: ApiEndpoint,
  target: { namespace: string; name: string },
): Promise<DeploymentView | undefined> {
  const res = await apiRequest(cluster, deploymentPath(target.namespace, target.name));
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET deployment ${target.namespace}/${target.name}: HTTP ${res.status}`);
  const body = JSON.parse(res.body) as DeploymentBody;
  return {
    replicas: body.spec?.replicas ?? 1,
    image: body.spec?.template?.spec?.containers?.[0]?.image ?? "",
    commit: body.metadata?.annotations?.[COMMIT_ANNOTATION],
  };
}

/**
 * What `kubectl scale deployment/NAME --replicas=N` sends: a merge patch of the scale subresource under kubectl's
 * own field manager, a write Flotilla did not make.
 */
export async function scaleDeployment(
  cluster: ApiEndpoint,
  target: { namespace: string; name: string; replicas: number; fieldManager: string },
): Promise<void> {
  const path = `${deploymentPath(target.namespace, target.name)}/scale?fieldManager=${encodeURIComponent(target.fieldManager)}`;
  const res = await apiRequest(cluster, path, {
    method: "PATCH",
    contentType: "application/merge-patch+json",
    body: { spec: { replicas: target.replicas } },
  });
  if (res.status !== 200) {
    throw new Error(
      `scale deployment ${target.namespace}/${target.name}: HTTP ${res.status} ${res.body.slice(0, 300)}`,
    );
  }
}
