import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { DecryptError } from "./errors/decrypt-error.ts";

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Versioned so that a future algorithm or layout change can read old blobs. */
const BLOB_VERSION = "v1";
const FINGERPRINT_INPUT = "flotilla/encryption-key-fingerprint/v1";

/**
 * Encrypts with AES-256-GCM under a fresh random IV. `aad` binds the blob to its owner (the cluster name and server): the same
 * blob copied onto another record fails authentication instead of decrypting as that record's secret.
 * Layout: `v1.` + base64(iv ‖ tag ‖ ciphertext).
 */
export function encryptSecret(key: Buffer, plaintext: string, aad: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${BLOB_VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

/** Reverses `encryptSecret`; `subject` names the owner in the error, which never carries blob or key bytes. */
export function decryptSecret(key: Buffer, blob: string, aad: string, subject: string): string {
  assertKey(key);
  const dot = blob.indexOf(".");
  if (dot < 0 || blob.slice(0, dot) !== BLOB_VERSION) {
    throw new DecryptError(subject, "unknown blob format");
  }
  const raw = Buffer.from(blob.slice(dot + 1), "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptError(subject, "blob is truncated");
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const body = raw.subarray(IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    // GCM cannot tell a wrong key from tampering or a moved blob, and the underlying message adds nothing.
    throw new DecryptError(
      subject,
      "authentication failed (wrong key, tampered data, data of another record, or a record whose server changed since the credentials were stored: register the cluster again with credentials for its server)",
    );
  }
}

/**
 * Identifies a key without revealing it: stored once in Redis so that a process started with a different key
 * refuses to run instead of writing data nobody can read back.
 */
export function keyFingerprint(key: Buffer): string {
  assertKey(key);
  return createHmac("sha256", key).update(FINGERPRINT_INPUT).digest("hex");
}

/** A keyed digest of secret material: lets us detect "credentials changed" without storing a plain hash of them. */
export function secretDigest(key: Buffer, material: string): string {
  return createHmac("sha256", key).update("flotilla/secret-digest/v1\0").update(material).digest("hex");
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
}
