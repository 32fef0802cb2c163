import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EncryptionKeyError } from "./errors/encryption-key-error.ts";
import { KEY_ENV, KEY_FILE_ENV, loadEncryptionKey, missingKeyError } from "./key.ts";

const key = randomBytes(32);
const files: Record<string, Buffer> = {
  "/keys/raw": key,
  "/keys/b64": Buffer.from(`${key.toString("base64")}\n`),
  "/keys/short": Buffer.from(randomBytes(16).toString("base64")),
};
const readFile = (path: string): Buffer => {
  const bytes = files[path];
  if (bytes === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  return bytes;
};
const load = (env: Record<string, string>) => loadEncryptionKey({ env, readFile });

describe("loadEncryptionKey", () => {
  it.each([
    ["base64 in the environment", { [KEY_ENV]: key.toString("base64") }],
    ["a file of 32 raw bytes", { [KEY_FILE_ENV]: "/keys/raw" }],
    ["a file holding base64 text", { [KEY_FILE_ENV]: "/keys/b64" }],
  ])("loads the key from %s", (_, env) => {
    expect(load(env)?.equals(key)).toBe(true);
  });

  it("returns undefined when neither variable is set (empty counts as unset)", () => {
    expect(load({})).toBeUndefined();
    expect(load({ [KEY_ENV]: "  " })).toBeUndefined();
  });

  it.each([
    ["both variables set", { [KEY_ENV]: key.toString("base64"), [KEY_FILE_ENV]: "/keys/raw" }, "ambiguous"],
    ["a key of 16 bytes", { [KEY_ENV]: randomBytes(16).toString("base64") }, "invalid"],
    ["text that is not base64", { [KEY_ENV]: "not a key!" }, "invalid"],
    ["a file with a short key", { [KEY_FILE_ENV]: "/keys/short" }, "invalid"],
    ["a missing file", { [KEY_FILE_ENV]: "/keys/nope" }, "unreadable"],
  ])("refuses %s", (_, env, problem) => {
    let caught: unknown;
    try {
      load(env);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EncryptionKeyError);
    expect((caught as EncryptionKeyError).problem).toBe(problem);
    for (const value of Object.values(env)) {
      if (!value.startsWith("/")) expect((caught as Error).message).not.toContain(value);
    }
  });

  it("names both variables when the key is missing", () => {
    const err = missingKeyError("credentials are stored");
    expect(err.problem).toBe("missing");
    expect(err.message).toContain(KEY_ENV);
    expect(err.message).toContain(KEY_FILE_ENV);
  });
});
