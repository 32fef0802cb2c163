import type { KubeObject } from "@flotilla/kube";
import type { Bundle } from "@flotilla/render";

/**
 * The bundle's manifests as the kube package types them. Render keeps unknown fields as `unknown` while kube
 * names a few metadata fields; the objects are the same, and kube validates each one before applying it.
 */
export function objectsOf(bundle: Bundle): KubeObject[] {
  return bundle.manifests as KubeObject[];
}
