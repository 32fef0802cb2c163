import type { ObjectRef } from "../object.ts";
import { KubeError } from "./kube-error.ts";

/** A condition we waited for (a CRD becoming Established) did not hold in time. */
export class WaitTimeout extends KubeError {
  override readonly name = "WaitTimeout";

  constructor(what: string, timeoutMs: number, ref?: ObjectRef, last?: string) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last})` : ""}`, ref);
  }
}
