import { RenderError } from "./errors/render-error.ts";

function unsafe(file: string | undefined, reason: string): RenderError {
  return new RenderError({ failure: "UnsafePath", ...(file === undefined ? {} : { file }), reason });
}

function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * An Application's `source.path` as a repository-relative path ("./a//b/" → "a/b", "" or "." → the root).
 * Absolute paths and any ".." are refused outright: a source path names a directory of the repository, and
 * allowing ".." that happens to stay inside would only make two spellings of one input.
 */
export function normalizeSourcePath(path: string | undefined): string {
  if (path === undefined) return "";
  const shown = JSON.stringify(path);
  if (hasControlCharacters(path)) throw unsafe(undefined, `source.path ${shown} contains control characters`);
  if (path.startsWith("/"))
    throw unsafe(undefined, `source.path ${shown} is absolute; it must be relative to the repository root`);
  if (path.includes("\\")) throw unsafe(undefined, `source.path ${shown} contains "\\"; use "/"`);
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) throw unsafe(undefined, `source.path ${shown} contains ".."`);
  return segments.join("/");
}

/**
 * Resolves `ref`, written in `file` inside directory `base`, to a repository-relative path. ".." is fine while
 * it stays inside the repository (overlays point at "../base"); leaving it, an absolute path or a URL is refused.
 */
export function resolveInRepo(base: string, ref: string, file: string): string {
  const shown = JSON.stringify(ref);
  if (ref === "" || hasControlCharacters(ref))
    throw unsafe(file, `reference ${shown} is empty or has control characters`);
  if (ref.startsWith("/"))
    throw unsafe(file, `reference ${shown} is absolute; only paths inside the repository are allowed`);
  if (ref.includes("\\")) throw unsafe(file, `reference ${shown} contains "\\"; use "/"`);
  const out = base === "" ? [] : base.split("/");
  for (const seg of ref.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length === 0) throw unsafe(file, `reference ${shown} leaves the repository`);
      out.pop();
    } else out.push(seg);
  }
  return out.join("/");
}

export function isUnder(path: string, dir: string): boolean {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}

/** `path` relative to `dir`, which must contain it. */
export function relativeTo(path: string, dir: string): string {
  return dir === "" ? path : path === dir ? "" : path.slice(dir.length + 1);
}

export function dirnameOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

export function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function joinRepoPath(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}
