import { describe, expect, it } from "vitest";
import { parseLabelArgs } from "./label-args.ts";

describe("parseLabelArgs", () => {
  it("sets with k=v and removes with k-, as kubectl label", () => {
    expect(parseLabelArgs(["env=prod", "tier=", "old-", "app.kubernetes.io/name=web"], { allowRemove: true })).toEqual({
      ok: true,
      set: { env: "prod", tier: "", "app.kubernetes.io/name": "web" },
      remove: ["old"],
    });
  });
  it.each([
    ["env", /expected key=value or key-/],
    ["-", /expected key=value or key-/],
    ["bad key=x", /label key/],
    ["env=not valid", /label value/],
    ["=x", /label key/],
    ["_x-", /label key/],
  ])("refuses %j naming why", (arg, why) => {
    const parsed = parseLabelArgs([arg], { allowRemove: true });
    expect(parsed).toMatchObject({ ok: false, arg });
    expect(parsed.ok ? "" : parsed.why).toMatch(why);
  });
  it("refuses removal in --label, and a key set and removed", () => {
    expect(parseLabelArgs(["env-"], { allowRemove: false })).toMatchObject({ ok: false, why: "expected key=value" });
    expect(parseLabelArgs(["env=a", "env-"], { allowRemove: true })).toMatchObject({ ok: false, arg: "env-" });
  });
  it("keeps __proto__ a plain key", () => {
    const parsed = parseLabelArgs(["__proto__=x"], { allowRemove: false });
    expect(parsed.ok).toBe(false);
  });
});
