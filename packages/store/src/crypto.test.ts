import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, KEY_BYTES, keyFingerprint } from "./crypto.ts";
import { DecryptError } from "./errors/decrypt-error.ts";

const key = randomBytes(KEY_BYTES);
const secret = "apiVersion: v1\nkind: Config\nusers: [{name: admin, user: {token: s3cr3t-t0ken}}]";

describe("encryptSecret / decryptSecret", () => {
  it("round-trips", () => {
    const blob = encryptSecret(key, secret, "prod-eu");
    expect(decryptSecret(key, blob, "prod-eu", "cluster prod-eu")).toBe(secret);
  });

  it("never contains the plaintext and uses a fresh IV every time", () => {
    const a = encryptSecret(key, secret, "prod-eu");
    const b = encryptSecret(key, secret, "prod-eu");
    expect(a).not.toBe(b);
    expect(a).not.toContain("s3cr3t");
    expect(Buffer.from(a.slice(3), "base64").toString("latin1")).not.toContain("s3cr3t");
  });

  const blob = encryptSecret(key, secret, "prod-eu");
  const raw = Buffer.from(blob.slice(3), "base64");
  const flip = (at: number) => {
    const copy = Buffer.from(raw);
    copy[at] = copy[at]! ^ 1;
    return `v1.${copy.toString("base64")}`;
  };
  const cases: [string, () => string][] = [
    ["a wrong key", () => decryptSecret(randomBytes(KEY_BYTES), blob, "prod-eu", "cluster prod-eu")],
    ["another cluster's name (AAD)", () => decryptSecret(key, blob, "prod-us", "cluster prod-us")],
    ["a flipped IV bit", () => decryptSecret(key, flip(0), "prod-eu", "cluster prod-eu")],
    ["a flipped tag bit", () => decryptSecret(key, flip(12), "prod-eu", "cluster prod-eu")],
    ["a flipped ciphertext bit", () => decryptSecret(key, flip(raw.length - 1), "prod-eu", "cluster prod-eu")],
    ["a truncated blob", () => decryptSecret(key, "v1.AAAA", "prod-eu", "cluster prod-eu")],
    ["an unknown version", () => decryptSecret(key, `v9.${blob.slice(3)}`, "prod-eu", "cluster prod-eu")],
    ["no version at all", () => decryptSecret(key, "garbage", "prod-eu", "cluster prod-eu")],
  ];
  it.each(cases)("refuses %s with a DecryptError naming the subject, not the secret", (_, run) => {
    let caught: unknown;
    try {
      run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DecryptError);
    const err = caught as DecryptError;
    expect(err.message).toMatch(/^cannot decrypt credentials of cluster prod-/);
    expect(err.message).not.toContain("s3cr3t");
    expect(err.message).not.toContain(blob.slice(3, 20));
  });

  it("rejects keys of the wrong length", () => {
    expect(() => encryptSecret(randomBytes(16), secret, "x")).toThrow(/32 bytes/);
  });
});

describe("keyFingerprint", () => {
  it("is stable for a key, differs between keys, and does not reveal the key", () => {
    const other = randomBytes(KEY_BYTES);
    expect(keyFingerprint(key)).toBe(keyFingerprint(Buffer.from(key)));
    expect(keyFingerprint(key)).not.toBe(keyFingerprint(other));
    expect(keyFingerprint(key)).not.toContain(key.toString("hex"));
  });
});
