import { readFileSync } from "node:fs";
import { KEY_BYTES } from "./crypto.ts";
import { EncryptionKeyError } from "./errors/encryption-key-error.ts";

export const KEY_ENV = "FLOTILLA_ENCRYPTION_KEY";
export const KEY_FILE_ENV = "FLOTILLA_ENCRYPTION_KEY_FILE";

export interface KeySourceOptions {
  /** Where to read the variables from. @defaultValue `process.env` */
  env?: Record<string, string | undefined>;
  /** Reads the key file; injectable so the pure tests need no filesystem. @defaultValue `fs.readFileSync` */
  readFile?: (path: string) => Buffer;
}

/**
 * Loads the 32-byte key from `FLOTILLA_ENCRYPTION_KEY_FILE` (raw 32 bytes, or base64 text) or
 * `FLOTILLA_ENCRYPTION_KEY` (base64). Returns undefined when neither is set: whether that is fatal depends on
 * what is stored, which only `openStore` knows. Setting both is refused: two sources invite running with the one
 * you did not mean.
 */
export function loadEncryptionKey(options: KeySourceOptions = {}): Buffer | undefined {
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((path: string) => readFileSync(path));
  const file = nonEmpty(env[KEY_FILE_ENV]);
  const inline = nonEmpty(env[KEY_ENV]);
  if (file !== undefined && inline !== undefined) {
    throw new EncryptionKeyError("ambiguous", `both ${KEY_FILE_ENV} and ${KEY_ENV} are set; set exactly one`);
  }
  if (file !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      throw new EncryptionKeyError("unreadable", `${KEY_FILE_ENV}: cannot read key file ${file} (${code})`);
    }
    if (bytes.length === KEY_BYTES) return bytes;
    return decodeBase64Key(bytes.toString("utf8").trim(), `${KEY_FILE_ENV} (${file})`);
  }
  if (inline !== undefined) return decodeBase64Key(inline, KEY_ENV);
  return undefined;
}

export function missingKeyError(why: string): EncryptionKeyError {
  return new EncryptionKeyError(
    "missing",
    `${why}: set ${KEY_FILE_ENV} (path to a file holding the 32-byte key) or ${KEY_ENV} (the key in base64)`,
  );
}

function decodeBase64Key(text: string, source: string): Buffer {
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
  if (bytes.length !== KEY_BYTES) {
    // Say what was found, never the text itself: a near-miss key is still a secret.
    throw new EncryptionKeyError(
      "invalid",
      `${source}: expected ${KEY_BYTES} bytes in base64 (e.g. from \`openssl rand -base64 32\`), got ${bytes.length === 0 ? "text that is not base64" : `${bytes.length} bytes`}`,
    );
  }
  return bytes;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
