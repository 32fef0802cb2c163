import { runningInCi } from "@flotilla/testbed";
import { describe, it } from "vitest";
import { ArgoCdMissingError, requireArgoCd } from "../binary.ts";

/**
 * A describe block that needs the Argo CD build (scripts/testbed/argocd.sh). Without it the block is skipped under a
 * name that says why, except in CI, where a missing build fails the run: the set-up builds it.
 */
export function describeWithArgoCd(name: string, body: () => void): void {
  let reason: string | undefined;
  try {
    requireArgoCd();
  } catch (error) {
    if (!(error instanceof ArgoCdMissingError) || runningInCi()) throw error;
    reason = error.message;
  }
  if (reason === undefined) {
    describe(name, body);
    return;
  }
  describe.skip(name, () => {
    it(`SKIPPED, Argo CD not built: ${reason}`, () => {});
  });
}
