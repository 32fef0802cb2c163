import type { ApplicationSource } from "@flotilla/core";
import { RenderError } from "./errors/render-error.ts";

export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/**
 * An image override as Argo CD and `kustomize edit set image` write it: `[old=]new[:tag|@digest]`, e.g.
 * "nginx:1.25", "nginx=registry.example/nginx:1.25", "app=app@sha256:…". Without "old=", the override applies
 * to the image of the same name.
 */
export function parseImageOverride(spec: string): KustomizeImage {
  const bad = (why: string): never => {
    throw new RenderError({
      failure: "InvalidManifest",
      reason: `source.kustomize.images entry ${JSON.stringify(spec)} ${why}`,
    });
  };
  if (spec.trim() === "" || /\s/.test(spec)) bad("is empty or contains whitespace");
  const eq = spec.indexOf("=");
  const target = eq < 0 ? spec : spec.slice(eq + 1);
  let image = target;
  let newTag: string | undefined;
  let digest: string | undefined;
  const at = target.indexOf("@");
  if (at >= 0) {
    image = target.slice(0, at);
    digest = target.slice(at + 1);
  } else {
    const colon = target.lastIndexOf(":");
    if (colon > target.lastIndexOf("/")) {
      image = target.slice(0, colon);
      newTag = target.slice(colon + 1);
    }
  }
  const name = eq < 0 ? image : spec.slice(0, eq);
  if (name === "" || image === "" || newTag === "" || digest === "") bad("is not [old=]new[:tag|@digest]");
  const out: KustomizeImage = { name };
  if (image !== name) out.newName = image;
  if (newTag !== undefined) out.newTag = newTag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/**
 * The kustomization that applies the Application's `source.kustomize` settings on top of the source
 * directory, or undefined when there are none. An overlay rather than command flags because kustomize build
 * has no flags for them, and rather than `kustomize edit` because that would rewrite the user's own file.
 */
export function overlayKustomization(
  settings: ApplicationSource["kustomize"],
  sourceDir: string,
): Record<string, unknown> | undefined {
  if (!settings) return undefined;
  const overlay: Record<string, unknown> = {};
  if (settings.namePrefix) overlay["namePrefix"] = settings.namePrefix;
  if (settings.nameSuffix) overlay["nameSuffix"] = settings.nameSuffix;
  if (settings.namespace) overlay["namespace"] = settings.namespace;
  if (settings.images && settings.images.length > 0) overlay["images"] = settings.images.map(parseImageOverride);
  if (settings.commonLabels && Object.keys(settings.commonLabels).length > 0) {
    overlay["commonLabels"] = settings.commonLabels;
  }
  if (settings.commonAnnotations && Object.keys(settings.commonAnnotations).length > 0) {
    overlay["commonAnnotations"] = settings.commonAnnotations;
  }
  if (Object.keys(overlay).length === 0) return undefined;
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [sourceDir],
    ...overlay,
  };
}
