import { describe, expect, it } from "vitest";
import { OwnedKinds } from "./owned-kinds.ts";
import type { WatchedKind } from "./watched-kinds.ts";

const inventory = (...ids: [string, string][]) => ({ entries: ids.map(([id, version]) => ({ id, version })) });

describe("OwnedKinds", () => {
  it("tells the cluster's listener the kinds of what was recorded, once each", () => {
    const owned = new OwnedKinds();
    const heard: WatchedKind[][] = [];
    owned.listen("east", (kinds) => heard.push(kinds));
    owned.recorded(
      "east",
      inventory(["apps/Deployment/shop/web", "v1"], ["/ConfigMap/shop/a", "v1"], ["/ConfigMap/shop/b", "v1"]),
    );
    owned.recorded("west", inventory(["/Secret/shop/s", "v1"]));
    expect(heard).toEqual([
      [
        { group: "", version: "v1", kind: "ConfigMap" },
        { group: "apps", version: "v1", kind: "Deployment" },
      ],
    ]);
  });

  it("says nothing for an empty inventory, nor after the listener is removed", () => {
    const owned = new OwnedKinds();
    let calls = 0;
    const unlisten = owned.listen("east", () => calls++);
    owned.recorded("east", inventory());
    unlisten();
    owned.recorded("east", inventory(["/ConfigMap/shop/a", "v1"]));
    expect(calls).toBe(0);
  });

  it("keeps a newer listener when an older one is removed", () => {
    const owned = new OwnedKinds();
    let newer = 0;
    const unlistenOlder = owned.listen("east", () => undefined);
    owned.listen("east", () => newer++);
    unlistenOlder();
    owned.recorded("east", inventory(["/ConfigMap/shop/a", "v1"]));
    expect(newer).toBe(1);
  });
});
