/**
 * The CLI's exit codes are part of its interface: scripts and CI branch on them. The README documents them.
 * 0 ok · 1 something is unwell or failed · 2 bad input · 3 the server (or Redis) cannot be reached · 4 unauthorized.
 */
export const ExitCode = {
  Ok: 0,
  /** Something is unwell (an Application Degraded, a held deletion) or the request failed on the server's side. */
  Unwell: 1,
  /** Some elements failed; the rest were still produced and printed (`appset preview`). Same code as Unwell. */
  ElementErrors: 1,
  /** The input itself is invalid (a file that does not parse, a bad flag, a body the API refused). */
  InvalidInput: 2,
  /** The API server (or, for offline commands, the fleet's Redis) cannot be reached. */
  Unavailable: 3,
  /** No token, an unknown or revoked one, or one without the scope the command needs. */
  Unauthorized: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
