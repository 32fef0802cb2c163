import { StaleFenceError } from "./errors/stale-fence-error.ts";
import type { StoreKeys } from "./keys.ts";

/**
 * Proof of holding a lease, carried by a write: the write happens only if `token` is still the lease's current
 * fencing token. A replica paused past its lease (GC, a frozen VM) wakes with an old token and writes nothing.
 */
export interface Fence {
  lease: string;
  token: number;
}

export interface FenceOption {
  /** Refuse the write (atomically, in the same script) unless this fence is current. @defaultValue no check */
  fence?: Fence;
}

/** Lua prologue: aborts the script when the fence in ARGV[1] ("" = none) is not KEYS[1]'s current value. */
export const FENCE_CHECK = `
if ARGV[1] ~= '' then
  local current = tonumber(redis.call('GET', KEYS[1]) or '0')
  if current ~= tonumber(ARGV[1]) then return redis.error_reply('STALEFENCE ' .. current) end
end
`;

/** The fence key and token argument for a script starting with FENCE_CHECK. */
export function fenceArgs(keys: StoreKeys, fence: Fence | undefined, unusedKey: string): [key: string, arg: string] {
  return fence === undefined ? [unusedKey, ""] : [keys.leaseFence(fence.lease), String(fence.token)];
}

/** Turns the script's STALEFENCE reply into the typed error; anything else is rethrown unchanged. */
export function rethrowFence(err: unknown, fence: Fence | undefined): never {
  if (fence !== undefined && err instanceof Error && err.message.startsWith("STALEFENCE")) {
    throw new StaleFenceError(fence.lease, fence.token);
  }
  throw err;
}

/** A fence together with the key its token lives under, for a fenced script outside the store (an enqueue). */
export interface FenceProof extends Fence {
  key: string;
}

export function fenceProof(keys: StoreKeys, fence: Fence): FenceProof {
  return { ...fence, key: keys.leaseFence(fence.lease) };
}
