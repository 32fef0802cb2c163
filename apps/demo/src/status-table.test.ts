import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { errorLines } from "./status-table.ts";

const status = (application: string, sync: AppStatus["sync"], message?: string): AppStatus => ({
  appSet: "helm",
  application,
  cluster: "dev",
  sync,
  health: "Unknown",
  lastSyncAt: "2026-12-01T00:00:00.000Z",
  resources: [],
  ...(message !== undefined && {
    lastError: { reason: "RenderFailed", message, at: "2026-12-01T00:00:00.000Z", retrying: false },
  }),
});

describe("errorLines", () => {
  it("names each failing Application, its cluster, reason and message, in name order; skips the rest", () => {
    expect(
      errorLines([
        status("echo-dev", "Error", "helm template failed (exit 1)"),
        status("guestbook-dev", "Synced"),
        status("app-dev", "Error", "path not found"),
        status("stale-dev", "Synced", "an old error, since fixed"),
      ]),
    ).toEqual([
      "app-dev on dev: RenderFailed: path not found",
      "echo-dev on dev: RenderFailed: helm template failed (exit 1)",
    ]);
  });
});
