import { InvalidSyncAnnotation, type KubeObject, planSync, resourcesOf, type SyncPlan } from "@flotilla/kube";
import type { Bundle } from "@flotilla/render";
import { RenderFailed } from "../errors/render-failed.ts";

/**
 * The bundle's manifests as the kube package types them. Render keeps unknown fields as `unknown` while kube
 * names a few metadata fields; the objects are the same, and kube validates each one before applying it.
 */
function manifestsOf(bundle: Bundle): KubeObject[] {
  return bundle.manifests as KubeObject[];
}

/**
 * The bundle's waves and hooks. A wave or hook annotation that cannot be understood fails the sync as a render
 * failure, not retried: nothing of the bundle is applied until Git fixes it.
 */
export function planOf(bundle: Bundle): SyncPlan {
  try {
    return planSync(manifestsOf(bundle));
  } catch (err) {
    if (err instanceof InvalidSyncAnnotation) throw new RenderFailed(err, false);
    throw err;
  }
}

/**
 * The bundle's ordinary resources: what is applied in waves, owned in the inventory, checked for drift and
 * health. Hooks and skipped objects are not among them.
 */
export function objectsOf(bundle: Bundle): KubeObject[] {
  return resourcesOf(planOf(bundle));
}
