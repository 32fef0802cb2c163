import type { RepoReader } from "@flotilla/core";
import { FileTooLargeError } from "@flotilla/git";
import { describe, expect, it } from "vitest";
import { isRenderError, isTransientRenderFailure, type RenderError } from "./errors/render-error.ts";
import { defaultRenderLimits } from "./options.ts";
import { readFiles } from "./read-files.ts";

const REPO = "https://git.example/fleet.git";

function failingReader(error: Error): RepoReader {
  return {
    resolveRevision: async () => "c0ffee",
    listTree: async () => ({ files: [], directories: [] }),
    readFile: async () => {
      throw error;
    },
  } as unknown as RepoReader;
}

async function failureOf(error: Error): Promise<RenderError> {
  const thrown = await readFiles(
    failingReader(error),
    REPO,
    "c0ffee",
    ["apps/web/huge.yaml"],
    defaultRenderLimits(),
  ).then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isRenderError(thrown)) throw new Error(`expected a RenderError, got ${String(thrown)}`);
  return thrown;
}

describe("readFiles failures", () => {
  it("a file over the size limit is the commit's fault (TooLarge, not retried), naming the file and its size", async () => {
    const err = await failureOf(new FileTooLargeError(REPO, "c0ffee", "apps/web/huge.yaml", 9_437_187, 8_388_608));
    expect(err.failure).toBe("TooLarge");
    expect(isTransientRenderFailure(err)).toBe(false);
    expect(err.message).toBe(
      `apps/web/huge.yaml: git repository ${REPO} at c0ffee: apps/web/huge.yaml is 9437187 bytes, over the 8388608-byte limit`,
    );
  });

  it("any other read failure may pass (ReadFailed, retried)", async () => {
    const err = await failureOf(new Error("connection reset"));
    expect(err.failure).toBe("ReadFailed");
    expect(isTransientRenderFailure(err)).toBe(true);
  });
});
