import type { Bundle, Renderer } from "@flotilla/render";
import { RenderFailed } from "../errors/render-failed.ts";
import type { SyncContext } from "./sync-context.ts";

export type BundleRenderer = Pick<Renderer, "render">;

/** The Application's source at `commit`, rendered once however many clusters ask (the renderer caches). */
export async function render(renderer: BundleRenderer, ctx: SyncContext, commit: string): Promise<Bundle> {
  try {
    return await renderer.render(ctx.app, commit);
  } catch (err) {
    throw new RenderFailed(err);
  }
}
