import type { Rollout } from "./types.ts";

/** Why an operator's action cannot be carried out, in words for the operator. */
export type ActionOutcome = { ok: true; rollout: Rollout } | { ok: false; problem: string };

/**
 * Passes the manual gate the rollout waits at: that step then runs as if its maxUpdate were 100 %. Only the step
 * currently gated can be promoted, so a promote cannot pass a gate nobody has seen yet.
 */
export function promoteRollout(rollout: Rollout, now: Date): ActionOutcome {
  if (rollout.phase === "Completed") return { ok: false, problem: `the rollout of ${rollout.appSet} is complete` };
  if (rollout.phase === "Halted") {
    return {
      ok: false,
      problem: `the rollout of ${rollout.appSet} is halted: resume it (or fix it with a new commit)`,
    };
  }
  const gated = rollout.steps.findIndex((s) => s.state === "Gated");
  if (gated === -1) return { ok: false, problem: `the rollout of ${rollout.appSet} is not waiting at a manual gate` };
  const steps = rollout.steps.map((s, i) => (i === gated ? { ...s, promoted: true } : s));
  return { ok: true, rollout: { ...rollout, steps, updatedAt: now.toISOString() } };
}

/**
 * Resumes a halted rollout: the Applications that halted it are no longer waited for (an operator accepted them
 * as they are) and the rollout goes on. They stay in force and are still reconciled; a newer commit that changes
 * them rolls them out again.
 */
export function resumeRollout(rollout: Rollout, now: Date): ActionOutcome {
  if (rollout.phase !== "Halted") return { ok: false, problem: `the rollout of ${rollout.appSet} is not halted` };
  const applications = rollout.applications.map((a) => (a.state === "Halted" ? { ...a, waived: true } : a));
  const steps = rollout.steps.map((s) => (s.state === "Halted" ? { ...s, state: "Progressing" as const } : s));
  const { condition: _, ...rest } = rollout;
  return { ok: true, rollout: { ...rest, phase: "Progressing", steps, applications, updatedAt: now.toISOString() } };
}
