import { describe, expect, it } from "vitest";
import { SERVICE_NODE_FLAGS, serviceNodeFlags } from "./processes.ts";

describe("serviceNodeFlags", () => {
  it.each([
    ["no NODE_OPTIONS", undefined, [...SERVICE_NODE_FLAGS]],
    ["unrelated NODE_OPTIONS", "--enable-source-maps --import=x.ts", [...SERVICE_NODE_FLAGS]],
    ["a semi-space size of its own", "--enable-source-maps --max-semi-space-size=4", ["--optimize-for-size"]],
    ["V8's default asked for (0)", "--max-semi-space-size=0", ["--optimize-for-size"]],
  ])("with %s", (_, nodeOptions, expected) => {
    expect(serviceNodeFlags(nodeOptions)).toEqual(expected);
  });

  it("caps the young generation", () => {
    expect(SERVICE_NODE_FLAGS).toContain("--max-semi-space-size=16");
  });

  it("favours memory over speed", () => {
    expect(SERVICE_NODE_FLAGS).toContain("--optimize-for-size");
  });
});
