import { InvalidGitArgumentError } from "./errors.ts";

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** NUL and other control characters have no business in URLs, revisions or paths, and confuse git's parsers. */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * A revision as a user writes it: branch, tag, "HEAD", a full ref or a (short) commit id. Expressions git would
 * read as something else — options, ranges, `rev:path`, reflog or search syntax — are refused, so a revision
 * can only ever name one commit.
 */
export function validateRevision(revision: string): string {
  const bad = (message: string): never => {
    throw new InvalidGitArgumentError("revision", `${JSON.stringify(revision)} ${message}`);
  };
  if (typeof revision !== "string" || revision === "") bad("must be a non-empty string");
  if (hasControlCharacters(revision)) bad("contains control characters or NUL");
  if (revision.startsWith("-")) bad('starts with "-" and would be read as a git option');
  if (/\s/.test(revision)) bad("contains whitespace");
  if (revision.includes("..")) bad('contains ".."');
  if (/[:?*[\\^~]|@\{/.test(revision)) bad("is a revision expression, not a branch, tag or commit");
  if (revision.startsWith("/") || revision.endsWith("/") || revision.endsWith(".lock")) bad("is not a valid ref name");
  return revision;
}

/** Reads at a commit are cached forever, so only an immutable full commit id is accepted there. */
export function validateCommit(commit: string): string {
  if (typeof commit !== "string" || !FULL_COMMIT.test(commit)) {
    throw new InvalidGitArgumentError(
      "commit",
      `${JSON.stringify(commit)} is not a full lower-case commit id (resolve it first)`,
    );
  }
  return commit;
}

export function isFullCommitId(revision: string): boolean {
  return FULL_COMMIT.test(revision);
}

/**
 * Normalizes a repository-relative path ("./a//b/" → "a/b") and refuses anything that could step outside the
 * repository or be read as something other than a path.
 */
export function normalizeRepoPath(path: string): string {
  const bad = (message: string): never => {
    throw new InvalidGitArgumentError("path", `${JSON.stringify(path)} ${message}`);
  };
  if (typeof path !== "string" || path === "") bad("must be a non-empty string");
  if (hasControlCharacters(path)) bad("contains control characters or NUL");
  if (path.startsWith("/")) bad("is absolute; paths are relative to the repository root");
  if (path.includes("\\")) bad('contains "\\"; use "/" as the separator');
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) bad('contains ".."');
  if (segments.length === 0) bad("names the repository root, not a file");
  return segments.join("/");
}
