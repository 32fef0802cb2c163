import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The README's demo, end to end: its own three clusters and Redis, the generator and two workers as processes,
// a real fleet repository; it must converge and leave nothing running.
const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("the local fleet demo", () => {
  it("converges every Application to Synced and Healthy, then stops everything", () => {
    const r = spawnSync(process.execPath, ["apps/demo/src/main.ts", "--once"], {
      cwd: root,
      encoding: "utf8",
      timeout: 300_000,
      env: { ...process.env, FLOTILLA_DEMO_TIMEOUT_MS: "120000" },
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/the fleet converged in [\d.]+ s\./);
    for (const app of ["guestbook", "podinfo"]) {
      for (const cluster of ["dev", "staging", "prod"]) {
        expect(r.stdout).toMatch(new RegExp(`${app}-${cluster}\\s+│ ${cluster}\\s+│ Synced\\s+│ Healthy`));
      }
    }
    expect(r.stdout).toMatch(/\d+ Applications applied from \d+ rendered bundles/);
    expect(r.stdout).toContain("stopped; nothing left running.");
    expect(r.status).toBe(0);
  }, 320_000);
});
