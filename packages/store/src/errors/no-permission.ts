/**
 * Redis refused a command under the connection's ACL user (`NOPERM …`): what an agent's own Redis user gets for
 * anything outside its cluster's keys.
 */
export function isNoPermissionError(err: unknown): boolean {
  return err instanceof Error && /^NOPERM\b/.test(err.message);
}
