// One class per meaning, so callers branch on what happened ("Git is down" vs "the file is gone") without
// matching strings. Every message is built from redacted URLs and scrubbed git output only.

/** The repository could not be reached: network, DNS, timeout, or the server says there is no such repository. */
export class GitUnreachableError extends Error {
  override readonly name = "GitUnreachableError";
  readonly repoURL: string;
  readonly detail: string;

  constructor(repoURL: string, detail: string) {
    super(`git repository ${repoURL} is unreachable: ${detail}`);
    this.repoURL = repoURL;
    this.detail = detail;
  }
}

/** The server refused the credentials (or none were configured and it wanted some). */
export class GitAuthError extends Error {
  override readonly name = "GitAuthError";
  readonly repoURL: string;
  readonly detail: string;

  constructor(repoURL: string, detail: string) {
    super(`git repository ${repoURL}: authentication failed: ${detail}`);
    this.repoURL = repoURL;
    this.detail = detail;
  }
}

/** A branch, tag or commit that does not exist in the repository (after fetching it). */
export class UnknownRevisionError extends Error {
  override readonly name = "UnknownRevisionError";
  readonly repoURL: string;
  readonly revision: string;

  constructor(repoURL: string, revision: string) {
    super(`git repository ${repoURL}: unknown revision "${revision}"`);
    this.repoURL = repoURL;
    this.revision = revision;
  }
}

/** The path is not a file at that commit (missing, or a directory). */
export class FileNotFoundError extends Error {
  override readonly name = "FileNotFoundError";
  readonly repoURL: string;
  readonly commit: string;
  readonly path: string;

  constructor(repoURL: string, commit: string, path: string, reason = "no such file") {
    super(`git repository ${repoURL} at ${commit}: ${path}: ${reason}`);
    this.repoURL = repoURL;
    this.commit = commit;
    this.path = path;
  }
}

/** The file exists but is larger than the configured limit; it is never read into memory. */
export class FileTooLargeError extends Error {
  override readonly name = "FileTooLargeError";
  readonly repoURL: string;
  readonly commit: string;
  readonly path: string;
  readonly size: number;
  readonly limit: number;

  constructor(repoURL: string, commit: string, path: string, size: number, limit: number) {
    super(`git repository ${repoURL} at ${commit}: ${path} is ${size} bytes, over the ${limit}-byte limit`);
    this.repoURL = repoURL;
    this.commit = commit;
    this.path = path;
    this.size = size;
    this.limit = limit;
  }
}

/** A caller-supplied URL, revision or path that is refused before git ever sees it. */
export class InvalidGitArgumentError extends Error {
  override readonly name = "InvalidGitArgumentError";
  readonly argument: "repoURL" | "revision" | "commit" | "path";

  constructor(argument: InvalidGitArgumentError["argument"], message: string) {
    super(`invalid ${argument}: ${message}`);
    this.argument = argument;
  }
}

/** Git failed in a way none of the classes above describes; `detail` is git's scrubbed stderr. */
export class GitCommandError extends Error {
  override readonly name = "GitCommandError";
  readonly repoURL: string;
  readonly command: string;
  readonly detail: string;

  constructor(repoURL: string, command: string, detail: string) {
    super(`git repository ${repoURL}: git ${command} failed: ${detail}`);
    this.repoURL = repoURL;
    this.command = command;
    this.detail = detail;
  }
}

export function isGitUnreachableError(err: unknown): err is GitUnreachableError {
  return err instanceof GitUnreachableError;
}

export function isGitAuthError(err: unknown): err is GitAuthError {
  return err instanceof GitAuthError;
}

export function isUnknownRevisionError(err: unknown): err is UnknownRevisionError {
  return err instanceof UnknownRevisionError;
}

export function isFileNotFoundError(err: unknown): err is FileNotFoundError {
  return err instanceof FileNotFoundError;
}

export function isFileTooLargeError(err: unknown): err is FileTooLargeError {
  return err instanceof FileTooLargeError;
}

export function isInvalidGitArgumentError(err: unknown): err is InvalidGitArgumentError {
  return err instanceof InvalidGitArgumentError;
}

/** True when the failure is about reaching Git (network or credentials), not about the content asked for. */
export function isGitSourceError(err: unknown): err is GitUnreachableError | GitAuthError {
  return isGitUnreachableError(err) || isGitAuthError(err);
}
