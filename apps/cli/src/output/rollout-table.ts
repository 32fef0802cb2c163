import type { Rollout } from "@flotilla/rollout";
import { plainTable } from "./table.ts";

const stepName = (index: number | null): string => (index === null ? "no step (last)" : String(index + 1));

/**
 * A rollout for people: its phase and condition, one row per step (in the order they run), then one row per
 * Application with its state and why.
 */
export function rolloutTable(rollout: Rollout): string {
  const lines: string[] = [];
  const done = rollout.applications.filter((a) => a.state === "Healthy" || a.waived === true).length;
  lines.push(
    `Rollout: ${rollout.phase} (${done}/${rollout.applications.length} done) at ${rollout.commit.slice(0, 12)}, started ${rollout.startedAt}`,
  );
  if (rollout.condition !== undefined) lines.push(`Halted: ${rollout.condition.message}`);
  lines.push("");
  lines.push(
    plainTable(
      ["#", "STEP", "CHANGE", "MAXUPDATE", "STATE", "APPLICATIONS", "STARTED", "COMPLETED"],
      rollout.steps.map((s, i) => {
        const apps = rollout.applications.filter((a) => a.step === i);
        const max = s.maxUpdate.kind === "count" ? String(s.maxUpdate.count) : `${s.maxUpdate.percent}%`;
        return [
          String(i + 1),
          stepName(s.index),
          s.change,
          s.promoted === true ? `${max} (promoted)` : max,
          s.state,
          `${apps.filter((a) => a.state === "Healthy" || a.waived === true).length}/${apps.length}`,
          s.startedAt ?? "",
          s.completedAt ?? "",
        ];
      }),
    ),
  );
  lines.push("");
  lines.push(
    plainTable(
      ["APPLICATION", "CLUSTER", "#", "CHANGE", "STATE", "MESSAGE"],
      rollout.applications.map((a) => [
        a.application,
        a.cluster,
        String(a.step + 1),
        a.change,
        a.waived === true ? `${a.state} (resumed past)` : a.state,
        a.message ?? "",
      ]),
    ),
  );
  return `${lines.join("\n")}\n`;
}
