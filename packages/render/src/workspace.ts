import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";

/** A private temp directory for one tool run: the materialised repository, generated inputs and HOME. */
export interface Workspace {
  root: string;
  /** Repository files at their repository paths. */
  repo: string;
  /** Files we generate (overlay kustomization, inline values). */
  work: string;
  home: string;
}

/** Runs `body` with a fresh workspace and removes it afterwards, whatever happened. */
export async function withWorkspace<T>(parent: string, body: (ws: Workspace) => Promise<T>): Promise<T> {
  const root = await mkdtemp(join(parent, "flotilla-render-"));
  const ws: Workspace = { root, repo: join(root, "repo"), work: join(root, "work"), home: join(root, "home") };
  try {
    await Promise.all([mkdir(ws.repo), mkdir(ws.work), mkdir(ws.home)]);
    return await body(ws);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
