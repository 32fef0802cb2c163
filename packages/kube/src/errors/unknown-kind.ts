import type { ObjectRef } from "../object.ts";
import { KubeError } from "./kube-error.ts";

/** The cluster serves no such kind in that apiVersion: a CRD is missing, or the manifest has a typo. */
export class UnknownKind extends KubeError {
  override readonly name = "UnknownKind";

  readonly apiVersion: string;
  readonly kind: string;

  constructor(apiVersion: string, kind: string, ref?: ObjectRef) {
    super(`no kind "${kind}" is served in apiVersion "${apiVersion}" on this cluster`, ref);
    this.apiVersion = apiVersion;
    this.kind = kind;
  }
}
