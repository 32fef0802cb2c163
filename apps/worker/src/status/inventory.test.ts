import type { ChangeSet } from "@flotilla/kube";
import { describe, expect, it } from "vitest";
import { inventoryOf, mergeInventories, withoutEntries } from "./inventory.ts";

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
