import { GitUnreachableError, UnknownRevisionError } from "@flotilla/git";
import { type ChangeSetEntry, ClusterUnreachable } from "@flotilla/kube";
import { RenderError } from "@flotilla/render";
import { describe, expect, it } from "vitest";
import { ApplyFailed } from "./apply-failed.ts";
import { failureOf } from "./failure.ts";
import { HealthCheckFailed } from "./health-check-failed.ts";
import { PruneFailed } from "./prune-failed.ts";
import { RenderFailed } from "./render-failed.ts";
import { SourceFailed } from "./source-failed.ts";

function failedEntry(error: Error): ChangeSetEntry {
  return {
    id: "/ConfigMap/ns/a",
    subject: "ConfigMap/ns/a",
    action: "skipped",
    version: "v1",
    owned: true,
    error: error as ChangeSetEntry["error"],
  };
}

describe("failureOf", () => {
  it.each([
    {
      name: "a bad manifest is not retried",
      err: new RenderFailed(
        new RenderError({ failure: "InvalidManifest", file: "apps/a/x.yaml", line: 3, reason: "bad YAML" }),
      ),
      reason: "RenderFailed",
      retryable: false,
      message: /apps\/a\/x\.yaml \(line 3\): bad YAML/,
    },
    {
      name: "a repository read failure is retried",
      err: new RenderFailed(new RenderError({ failure: "ReadFailed", reason: "git down" })),
      reason: "RenderFailed",
      retryable: true,
      message: /git down/,
    },
    {
      name: "Git unreachable is retried",
      err: new SourceFailed(
        "https://git.example/r.git",
        "main",
        new GitUnreachableError("https://git.example/r.git", "timeout"),
      ),
      reason: "SourceFailed",
      retryable: true,
      message: /cannot resolve main/,
    },
    {
      name: "an unknown revision is not retried",
      err: new SourceFailed(
        "https://git.example/r.git",
        "nope",
        new UnknownRevisionError("https://git.example/r.git", "nope"),
      ),
      reason: "SourceFailed",
      retryable: false,
      message: /nope/,
    },
    {
      name: "an object the cluster refused is not retried",
      err: new ApplyFailed({ entries: [] }, [failedEntry(new Error("ConfigMap/ns/a apply failed (Invalid)"))]),
      reason: "ApplyFailed",
      retryable: false,
      message: /1 object\(s\) failed to apply: ConfigMap\/ns\/a apply failed/,
    },
    {
      name: "an unreachable cluster is retried",
      err: new ApplyFailed({ entries: [] }, [
        failedEntry(new ClusterUnreachable("https://10.0.0.1", new Error("timeout"))),
      ]),
      reason: "ApplyFailed",
      retryable: true,
      message: /unreachable/,
    },
    {
      name: "a prune on an unreachable cluster is retried",
      err: new PruneFailed([failedEntry(new ClusterUnreachable("https://10.0.0.1", new Error("reset")))]),
      reason: "PruneFailed",
      retryable: true,
      message: /failed to prune/,
    },
    {
      name: "a health check that cannot run is retried",
      err: new HealthCheckFailed(new Error("socket hang up")),
      reason: "HealthCheckFailed",
      retryable: true,
      message: /socket hang up/,
    },
    {
      name: "anything else is an internal error, retried",
      err: new TypeError("undefined is not a function"),
      reason: "InternalError",
      retryable: true,
      message: /undefined is not a function/,
    },
  ])("$name", ({ err, reason, retryable, message }) => {
    const failure = failureOf(err);
    expect(failure.reason).toBe(reason);
    expect(failure.retryable).toBe(retryable);
    expect(failure.message).toMatch(message);
  });

  it("names at most five objects and counts the rest", () => {
    const failed = Array.from({ length: 7 }, (_, i) => failedEntry(new Error(`obj ${i} failed`)));
    expect(new ApplyFailed({ entries: [] }, failed).message).toMatch(/obj 4 failed; and 2 more$/);
  });
});
