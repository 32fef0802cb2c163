import { ApiError, type ChangeSet, ObjectDeleteFailed, parseId } from "@flotilla/kube";
import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { deleteFailure } from "./delete-app.ts";
import { DeleteFailed } from "./errors/delete-failed.ts";

const ref = { cluster: "prod", appSet: "shop", application: "shop-prod" };
const at = new Date("2026-03-01T10:00:00.000Z");
const forbidden = "/Secret/ns/keys";

const changeSet: ChangeSet = {
  entries: [
    { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", action: "deleted", version: "v1", owned: true },
    {
      id: "/ConfigMap/ns/old",
      subject: "ConfigMap/ns/old",
      action: "skipped",
      version: "v1",
      owned: true,
      reason: "already gone",
    },
    {
      id: forbidden,
      subject: "Secret/ns/keys",
      action: "skipped",
      version: "v1",
      owned: true,
      error: new ObjectDeleteFailed(
        parseId(forbidden),
        new ApiError({
          code: 403,
          reason: "Forbidden",
          message: 'secrets "keys" is forbidden: User "flotilla" cannot delete resource "secrets"',
          causes: [],
        }),
      ),
    },
  ],
};

const previous: AppStatus = {
  ...ref,
  sync: "Synced",
  health: "Healthy",
  revision: "a".repeat(40),
  fleetRevision: "b".repeat(40),
  bundleDigest: `sha256:${"c".repeat(64)}`,
  desiredDigest: "h1",
  lastSyncAt: "2026-03-01T09:00:00.000Z",
  resources: [
    { id: "/ConfigMap/ns/cfg", action: "unchanged", health: "Healthy" },
    { id: forbidden, action: "unchanged", health: "Healthy" },
  ],
};

describe("deleteFailure", () => {
  const error = new DeleteFailed(changeSet.entries.filter((e) => e.error !== undefined));

  it("names each object left behind and why, on the status and in history", () => {
    const { status, history } = deleteFailure(
      ref,
      { ...ref, preserveResources: false, revision: "d".repeat(40) },
      previous,
      changeSet,
      error.message,
      at,
    );
    expect(error.message).toContain("Secret/ns/keys delete failed");
    expect(error.message).toContain("forbidden");
    expect(status).toEqual({
      ...ref,
      sync: "Error",
      health: "Healthy",
      revision: previous.revision,
      bundleDigest: previous.bundleDigest,
      fleetRevision: "d".repeat(40),
      lastSyncAt: at.toISOString(),
      resources: [
        { id: "/ConfigMap/ns/cfg", action: "deleted", health: "Missing" },
        { id: "/ConfigMap/ns/old", action: "skipped", health: "Unknown", message: "already gone" },
        {
          id: forbidden,
          action: "skipped",
          health: "Healthy",
          message: expect.stringMatching(/^Secret\/ns\/keys delete failed \(secrets "keys" is forbidden/),
        },
      ],
      lastError: { reason: "DeleteFailed", message: error.message, at: at.toISOString(), retrying: true },
    });
    expect(history).toEqual({
      at: at.getTime(),
      result: "Error",
      fleetRevision: "d".repeat(40),
      message: error.message,
    });
  });

  it("with no previous status it still stands alone, and still says it is retrying", () => {
    const { status, history } = deleteFailure(
      ref,
      { ...ref, preserveResources: false },
      undefined,
      changeSet,
      error.message,
      at,
    );
    expect(status.lastError?.retrying).toBe(true);
    expect(status.health).toBe("Unknown");
    expect(status.resources.find((r) => r.id === forbidden)?.health).toBe("Unknown");
    expect(status).not.toHaveProperty("revision");
    expect(status).not.toHaveProperty("fleetRevision");
    expect(history).not.toHaveProperty("fleetRevision");
  });
});
