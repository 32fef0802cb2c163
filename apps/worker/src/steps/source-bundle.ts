import { isFailedSource } from "@flotilla/queue";
import type { Bundle } from "@flotilla/render";
import { BundleUnavailable, PublishedSourceFailed } from "../errors/bundle-unavailable.ts";
import { type BundleRenderer, render } from "./render.ts";
import { resolveSource, type SourceResolver } from "./resolve-source.ts";
import type { SyncContext } from "./sync-context.ts";

/** Where a worker gets bundles: the ones the generator published, and — when it may read Git — its own renders. */
export interface BundleSources {
  published: { byDigest(digest: string): Promise<Bundle | undefined> };
  /** Absent for a worker without Git access (an agent by default): it applies only published bundles. */
  local?: { git: SourceResolver; renderer: BundleRenderer };
}

export interface SourcedBundle {
  commit: string;
  bundle: Bundle;
}

/**
 * The bundle this sync applies: the one the job names, fetched by digest, so that one render serves every
 * cluster; the worker's own resolve and render only when the job names none (an older generator, or rendering
 * off) or the named one is gone from the store. `onCommit` learns the commit as soon as it is known, so that a
 * failure after it is recorded against it.
 */
export async function sourceBundle(
  sources: BundleSources,
  ctx: SyncContext,
  onCommit: (commit: string) => void,
): Promise<SourcedBundle> {
  const named = ctx.job.source;
  if (named !== undefined && named.commit !== undefined) onCommit(named.commit);
  if (named !== undefined && isFailedSource(named)) {
    throw new PublishedSourceFailed(named.failure.step, named.failure.message);
  }
  if (named !== undefined) {
    const bundle = await sources.published.byDigest(named.bundle);
    if (bundle !== undefined) return { commit: named.commit, bundle };
    if (sources.local === undefined) {
      throw new BundleUnavailable(
        `bundle ${named.bundle} is not in the shared store (expired, or not yet published) and this worker does not render`,
        true,
      );
    }
    ctx.log.warn({ digest: named.bundle }, "published bundle is gone; rendering it here");
  }
  if (sources.local === undefined) {
    throw new BundleUnavailable(
      "the job names no bundle (is rendering off in the generator?) and this worker does not render for itself",
      false,
    );
  }
  const commit = named?.commit ?? (await resolveSource(sources.local.git, ctx));
  onCommit(commit);
  return { commit, bundle: await render(sources.local.renderer, ctx, commit) };
}
