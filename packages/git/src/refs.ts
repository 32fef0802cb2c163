import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isFullCommitId } from "./validate.ts";

/** What might be read as a (short) commit id, or is not a plain ref name: those are left to rev-parse. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/;
const HEX = /^[0-9a-f]{4,64}$/;

/**
 * The commit a branch points at, read from the mirror's ref files rather than by starting `git rev-parse`: a push
 * resolves its branch once per fetch, and in a process holding a large fleet each git process costs more to start
 * than the whole lookup. Only the plain case is answered — a name whose first match in git's lookup order
 * (`<name>`, `refs/<name>`, `refs/tags/<name>`, `refs/heads/<name>`; gitrevisions(7)) is a branch holding an object
 * id. Git refuses to point a branch at anything but a commit, so no peeling is needed. Anything else (a tag, a
 * symbolic ref, a short id, a ref format this does not know) is undefined, and the caller asks git.
 */
export async function readBranch(dir: string, revision: string): Promise<string | undefined> {
  if (!PLAIN_NAME.test(revision) || HEX.test(revision) || revision === "HEAD" || revision.includes("//")) {
    return undefined;
  }
  const packed = await readPacked(dir);
  if (packed === undefined) return undefined;
  const branch = revision.startsWith("refs/heads/") ? revision : `refs/heads/${revision}`;
  const shadowing = revision.startsWith("refs/heads/") ? [] : [revision, `refs/${revision}`, `refs/tags/${revision}`];
  for (const name of shadowing) {
    if (packed.has(name) || (await loose(dir, name)) !== undefined) return undefined;
  }
  const value = (await loose(dir, branch)) ?? packed.get(branch);
  return value !== undefined && isFullCommitId(value) ? value : undefined;
}

/** A loose ref's contents, trimmed; undefined when there is none (or it is a directory). */
async function loose(dir: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, name), "utf8")).trim();
  } catch {
    return undefined;
  }
}

/** packed-refs as name → object id; empty when there is none; undefined when its format is not the known one. */
async function readPacked(dir: string): Promise<Map<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, "packed-refs"), "utf8");
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? new Map() : undefined;
  }
  const refs = new Map<string, string>();
  for (const line of text.split("\n")) {
    // The header names traits; a peeled line ("^<id>") belongs to the tag above it.
    if (line === "" || line.startsWith("#") || line.startsWith("^")) continue;
    const space = line.indexOf(" ");
    const id = line.slice(0, space);
    if (space < 0 || !isFullCommitId(id)) return undefined;
    refs.set(line.slice(space + 1), id);
  }
  return refs;
}
