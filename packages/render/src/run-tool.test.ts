import { describe, expect, it } from "vitest";
import { ToolNotFoundError } from "./errors/tool-errors.ts";
import { trimStderr } from "./run-tool.ts";

describe("trimStderr", () => {
  it("removes temp paths, trims and bounds", () => {
    expect(trimStderr("  Error: /tmp/r1/repo/app/x.yaml: bad\n\n", ["/tmp/r1/repo", "/tmp/r1"], 100)).toBe(
      "Error: app/x.yaml: bad",
    );
    expect(trimStderr("abcdef", [], 3)).toBe("abc… (3 more characters)");
  });
});

describe("ToolNotFoundError", () => {
  it("says which binary, which variable and how to install", () => {
    expect(new ToolNotFoundError("helm", "helm", "FLOTILLA_HELM").message).toBe(
      'helm binary not found (tried "helm"); set FLOTILLA_HELM to its path or put helm on PATH (bash scripts/testbed/setup.sh builds it)',
    );
  });
});
