import { ApiError, type ChangeSet, ClusterUnreachable, ObjectDeleteFailed, parseId } from "@flotilla/kube";
import { describe, expect, it } from "vitest";
import { inventoryOf, mergeInventories, remainingAfterDelete, withoutEntries } from "./inventory.ts";

const changeSet: ChangeSet = {
  entries: [
    { id: "apps/Deployment/ns/web", subject: "Deployment/ns/web", action: "created", version: "v1", owned: true },
    { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", action: "unchanged", version: "v1", owned: true },
    { id: "//Namespace//ns", subject: "Namespace/ns", action: "created", version: "v1", owned: false },
    {
      id: "x.io/Widget/ns/w",
      subject: "Widget/ns/w",
      action: "skipped",
      version: "v1",
      owned: true,
      error: new (class extends Error {})("boom") as never,
    },
  ],
};

describe("inventoryOf", () => {
  it("keeps owned objects applied without error, sorted by id", () => {
    expect(inventoryOf(changeSet).entries).toEqual([
      { id: "/ConfigMap/ns/cfg", version: "v1" },
      { id: "apps/Deployment/ns/web", version: "v1" },
    ]);
  });
});

describe("mergeInventories", () => {
  it("unions by id, the later version winning", () => {
    const merged = mergeInventories(
      {
        entries: [
          { id: "b", version: "v1beta1" },
          { id: "a", version: "v1" },
        ],
      },
      [
        { id: "b", version: "v1" },
        { id: "c", version: "v1" },
      ],
    );
    expect(merged.entries).toEqual([
      { id: "a", version: "v1" },
      { id: "b", version: "v1" },
      { id: "c", version: "v1" },
    ]);
  });
});

describe("withoutEntries", () => {
  it("drops the named ids", () => {
    expect(
      withoutEntries(
        {
          entries: [
            { id: "a", version: "v1" },
            { id: "b", version: "v1" },
          ],
        },
        ["a"],
      ).entries,
    ).toEqual([{ id: "b", version: "v1" }]);
  });
});

describe("remainingAfterDelete", () => {
  const ids = {
    deleted: "/ConfigMap/ns/deleted",
    gone: "/ConfigMap/ns/gone",
    theirs: "/ConfigMap/ns/theirs",
    forbidden: "/Secret/ns/forbidden",
    refused: "apps/Deployment/ns/refused",
    broken: "/ConfigMap/ns/broken",
    unreachable: "/ConfigMap/ns/unreachable",
    untouched: "/ConfigMap/ns/untouched",
  };
  const inventory = { entries: Object.values(ids).map((id) => ({ id, version: "v1" })) };
  const api = (code: number, reason: string, message: string) =>
    new ApiError({ code, reason, message, causes: [] }, parseId(ids.forbidden));
  const failed = (id: string, cause: unknown) => ({
    id,
    subject: id,
    action: "skipped" as const,
    version: "v1",
    owned: true,
    error: new ObjectDeleteFailed(parseId(id), cause),
  });
  const done = (id: string, action: "deleted" | "skipped", reason?: string) => ({
    id,
    subject: id,
    action,
    version: "v1",
    owned: true,
    ...(reason === undefined ? {} : { reason }),
  });

  it("keeps every object whose deletion failed, whatever the failure; drops what went or was let go", () => {
    const changeSet: ChangeSet = {
      entries: [
        done(ids.deleted, "deleted"),
        done(ids.gone, "skipped", "already gone"),
        done(ids.theirs, "skipped", "not owned by shop"),
        failed(ids.forbidden, api(403, "Forbidden", 'secrets "forbidden" is forbidden')),
        failed(ids.refused, api(400, "BadRequest", 'admission webhook "guard" denied the request')),
        failed(ids.broken, api(500, "InternalError", "etcd timed out")),
        failed(ids.unreachable, new ClusterUnreachable("https://127.0.0.1:1", new Error("ECONNREFUSED"))),
      ],
    };
    expect(remainingAfterDelete(inventory, changeSet).entries.map((e) => e.id)).toEqual(
      [ids.forbidden, ids.refused, ids.broken, ids.unreachable, ids.untouched].sort((a, b) => a.localeCompare(b)),
    );
  });

  it("keeps the version each object was recorded with, so the retry asks for the same apiVersion", () => {
    const recorded = { entries: [{ id: ids.refused, version: "v1beta1" }] };
    const changeSet: ChangeSet = { entries: [failed(ids.refused, api(403, "Forbidden", "no"))] };
    expect(remainingAfterDelete(recorded, changeSet).entries).toEqual([{ id: ids.refused, version: "v1beta1" }]);
  });

  it("is empty when everything went", () => {
    const changeSet: ChangeSet = { entries: Object.values(ids).map((id) => done(id, "deleted")) };
    expect(remainingAfterDelete(inventory, changeSet).entries).toEqual([]);
  });
});
