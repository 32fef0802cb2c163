import { parseYamlDocuments, type SourceDocument } from "@flotilla/core";
import type { KubernetesObject } from "./bundle.ts";
import { RenderError } from "./errors/render-error.ts";

// Where each parsed object came from, for messages about it later (duplicates) without carrying the origin
// in the object, which is what gets applied and digested.
const origins = new WeakMap<object, string>();

/** "file (document N, line L)" for an object parsed by `parseManifests`. */
export function originOf(obj: object): string | undefined {
  return origins.get(obj);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

/**
 * Parses one (multi-document) YAML or JSON text into Kubernetes objects. Empty documents are skipped; a
 * `v1 List` is flattened into its items, as kubectl does; anything else without apiVersion, kind and
 * metadata.name is a RenderError naming the file, document and line.
 */
export function parseManifests(text: string, file: string): KubernetesObject[] {
  const parsed = parseYamlDocuments(text, file);
  const issue = parsed.issues[0];
  if (issue) {
    throw new RenderError({ failure: "InvalidManifest", file, line: issue.line, reason: issue.message });
  }
  const objects: KubernetesObject[] = [];
  for (const doc of parsed.documents) {
    if (doc.data === null || doc.data === undefined) continue;
    if (isRecord(doc.data) && isList(doc.data)) {
      const items = doc.data["items"] as unknown[];
      items.forEach((item, i) => {
        objects.push(toObject(item, doc, ["items", i]));
      });
    } else objects.push(toObject(doc.data, doc, []));
  }
  return objects;
}

function isList(data: Record<string, unknown>): boolean {
  return data["apiVersion"] === "v1" && data["kind"] === "List" && Array.isArray(data["items"]);
}

function toObject(data: unknown, doc: SourceDocument, at: (string | number)[]): KubernetesObject {
  const fail = (path: (string | number)[], reason: string): never => {
    throw new RenderError({
      failure: "InvalidManifest",
      file: doc.file,
      document: doc.index,
      line: doc.locate(path).line,
      reason,
    });
  };
  const prefix = at.length > 0 ? `${at.join(".")}: ` : "";
  if (!isRecord(data)) return fail(at, `${prefix}expected a Kubernetes object, found ${describeValue(data)}`);
  for (const field of ["apiVersion", "kind"] as const) {
    const value = data[field];
    if (value === undefined) fail(at, `${prefix}missing "${field}"`);
    if (typeof value !== "string" || value === "")
      fail([...at, field], `${prefix}"${field}" must be a non-empty string`);
  }
  const metadata = data["metadata"];
  if (!isRecord(metadata))
    return fail(metadata === undefined ? at : [...at, "metadata"], `${prefix}missing "metadata.name"`);
  const name = metadata["name"];
  if (name === undefined) fail([...at, "metadata"], `${prefix}missing "metadata.name"`);
  if (typeof name !== "string" || name === "") {
    fail([...at, "metadata", "name"], `${prefix}"metadata.name" must be a non-empty string`);
  }
  const namespace = metadata["namespace"];
  if (namespace !== undefined && namespace !== null && typeof namespace !== "string") {
    fail([...at, "metadata", "namespace"], `${prefix}"metadata.namespace" must be a string`);
  }
  origins.set(data, `${doc.file} (document ${doc.index}, line ${doc.locate(at).line})`);
  return data as KubernetesObject;
}
