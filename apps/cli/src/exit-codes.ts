/** The CLI's exit codes are part of its interface: scripts and CI branch on them. */
export const ExitCode = {
  Ok: 0,
  /** Some elements failed; the rest were still produced and printed. */
  ElementErrors: 1,
  /** The input itself is invalid (a file that does not parse, a bad flag). */
  InvalidInput: 2,
  /** The fleet's Redis cannot be reached. */
  Unavailable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
