import { stdSerializers } from "pino";

/** Field names that hold a secret wherever they appear in a log call's object, at any depth. */
export const SECRET_FIELDS: readonly string[] = [
  "credentials",
  "kubeconfig",
  "token",
  "bearerToken",
  "password",
  "secret",
  "encryptionKey",
  "caData",
  "keyData",
  "privateKey",
  "passphrase",
  // A kubeconfig's user, in the file's shape.
  "client-key-data",
];

/** Names that hold a secret only under a given parent: an auth provider's settings, a request's Authorization. */
const SECRET_UNDER: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["auth-provider", new Set(["config"])],
  ["authProvider", new Set(["config"])],
  ["headers", new Set(["authorization", "Authorization"])],
]);

const SECRET_NAMES: ReadonlySet<string> = new Set(SECRET_FIELDS);

export const CENSORED = "[redacted]";

/** Deeper than any object a log call carries on purpose; what lies below is dropped rather than walked. */
const MAX_DEPTH = 12;

/**
 * The log object with every secret replaced by `CENSORED`: the net under the rule that secrets never reach a log
 * call. One walk, and the object itself when nothing in it is a secret (the usual case): pino's path redaction
 * copied and walked every line's object against some sixty wildcard paths, a millisecond a line in a busy worker.
 * The `err` field is serialized first, as pino would, so that its cause and its own fields are looked at too.
 */
export function censorLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const err = object["err"];
  const input = err instanceof Error ? { ...object, err: stdSerializers.err(err) } : object;
  return censor(input, undefined, 0, new Set()) as Record<string, unknown>;
}

function censor(value: unknown, parent: string | undefined, depth: number, path: Set<object>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (path.has(value) || depth > MAX_DEPTH) return "[too deep or circular]";
  if (Array.isArray(value)) {
    path.add(value);
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = censor(item, parent, depth + 1, path);
      if (next === item) return;
      copy ??= [...value];
      copy[i] = next;
    });
    path.delete(value);
    return copy ?? value;
  }
  if (!isWalkable(value)) return value;
  path.add(value);
  const under = parent === undefined ? undefined : SECRET_UNDER.get(parent);
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const next = SECRET_NAMES.has(key) || under?.has(key) === true ? CENSORED : censor(item, key, depth + 1, path);
    if (next === item) continue;
    copy ??= copyOf(value);
    copy[key] = next;
  }
  path.delete(value);
  return copy ?? value;
}

/** Objects are walked by their own fields (a serialized error's too); Dates, Buffers, Maps and the like are not. */
function isWalkable(value: object): boolean {
  return !(
    ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer ||
    value instanceof Date ||
    value instanceof Map ||
    value instanceof Set ||
    value instanceof RegExp ||
    value instanceof Promise
  );
}

/** A copy to write the censored fields into; an error keeps what its serializer would have shown of it. */
function copyOf(value: object): Record<string, unknown> {
  if (value instanceof Error) {
    return {
      ...(value as unknown as Record<string, unknown>),
      type: value.name,
      message: value.message,
      stack: value.stack,
    };
  }
  return { ...(value as Record<string, unknown>) };
}
