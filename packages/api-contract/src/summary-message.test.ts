import { describe, expect, it } from "vitest";
import { summaryMessage } from "./summary-message.ts";

describe("summaryMessage", () => {
  it("says the error first, then why the sync waits, then the health's words unless Healthy", () => {
    const lastError = { reason: "ApplyFailed", message: "quota exceeded", at: "2026-12-04T10:00:00Z", retrying: true };
    expect(summaryMessage({ health: "Degraded", healthMessage: "h", syncMessage: "s", lastError })).toBe(
      "ApplyFailed: quota exceeded (retrying)",
    );
    expect(summaryMessage({ health: "Degraded", lastError: { ...lastError, retrying: false } })).toBe(
      "ApplyFailed: quota exceeded",
    );
    expect(summaryMessage({ health: "Degraded", healthMessage: "h", syncMessage: "s" })).toBe("s");
    expect(summaryMessage({ health: "Degraded", healthMessage: "pods not ready" })).toBe("pods not ready");
    expect(summaryMessage({ health: "Healthy", healthMessage: "ignored" })).toBe("");
    expect(summaryMessage({ health: "Progressing" })).toBe("");
  });
});
