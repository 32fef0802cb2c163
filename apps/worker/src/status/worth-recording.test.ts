import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { worthRecording } from "./worth-recording.ts";

describe("worthRecording", () => {
  const last: AppStatus = {
    appSet: "s",
    application: "a",
    cluster: "c",
    sync: "Synced",
    health: "Healthy",
    revision: "c1",
    bundleDigest: "d1",
    desiredDigest: "h1",
    lastSyncAt: "2026-03-15T12:00:00.000Z",
    resources: [],
  };
  it.each([
    { name: "the first sync", last: undefined, next: last, changed: false, expected: true },
    { name: "a no-op re-sync", last, next: last, changed: false, expected: false },
    { name: "objects changed (drift reverted)", last, next: last, changed: true, expected: true },
    { name: "a new revision", last, next: { ...last, revision: "c2" }, changed: false, expected: true },
    { name: "a new render output", last, next: { ...last, bundleDigest: "d2" }, changed: false, expected: true },
    { name: "a changed Application", last, next: { ...last, desiredDigest: "h2" }, changed: false, expected: true },
    {
      name: "a changed sync status",
      last,
      next: { ...last, sync: "OutOfSync" as const },
      changed: false,
      expected: true,
    },
  ])("$name → $expected", ({ last: previous, next, changed, expected }) => {
    expect(worthRecording(previous, next, changed)).toBe(expected);
  });
});
