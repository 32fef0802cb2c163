import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { checkLabels, mergeLabels } from "./labels.ts";

describe("mergeLabels", () => {
  it("sets, changes and removes keys, keeping the rest", () => {
    expect(
      mergeLabels(
        { env: "dev", tier: "web", old: "x" },
        { set: { env: "prod", region: "eu" }, remove: ["old", "absent"] },
      ),
    ).toEqual({ env: "prod", tier: "web", region: "eu" });
  });
  it("refuses a key both set and removed, naming it", () => {
    const err = (() => {
      try {
        mergeLabels({}, { set: { env: "a" }, remove: ["tier", "env"] });
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(err).toBeInstanceOf(ApiError);
    expect(err?.field).toBe("body.remove.1");
  });
  it("treats __proto__ as a plain key", () => {
    const merged = mergeLabels({}, { set: JSON.parse('{"__proto__":"x"}') as Record<string, string> });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});

describe("checkLabels", () => {
  it.each([
    [{ "bad key": "v" }, "body.set.bad key"],
    [{ env: "no spaces" }, "body.set.env"],
    [{ ok: "v", _x: "v" }, "body.set._x"],
  ])("refuses %j naming the field", (labels, field) => {
    try {
      checkLabels(labels, "body.set");
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).field).toBe(field);
      expect((e as ApiError).status).toBe(400);
    }
  });
  it("accepts Kubernetes labels", () => {
    expect(() => checkLabels({ "app.kubernetes.io/name": "web", env: "" }, "body.labels")).not.toThrow();
  });
});
