import { type Document, isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import type { ValidationIssue } from "./errors/validation-error.ts";
import type { FieldPath } from "./field-path.ts";
import { formatFieldPath } from "./field-path.ts";

/** Inputs larger than this are refused before parsing: no ApplicationSet file needs it. */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;
/** Nesting deeper than this is refused: it protects every recursive walk downstream. */
export const MAX_YAML_DEPTH = 64;

/** One YAML document with its data and a way back from a field path to a line and column. */
export interface SourceDocument {
  file: string;
  /** 0-based position of the document in a multi-document file. */
  index: number;
  data: unknown;
  locate(path: FieldPath): { line: number; column: number };
  issue(path: FieldPath, message: string): ValidationIssue;
}

export interface ParsedYaml {
  documents: SourceDocument[];
  issues: ValidationIssue[];
}

/** Parses a (multi-document) YAML text, keeping positions. Empty documents are dropped. */
export function parseYamlDocuments(text: string, file: string): ParsedYaml {
  if (text.length > MAX_YAML_BYTES) {
    return {
      documents: [],
      issues: [
        {
          file,
          line: 0,
          column: 0,
          path: "",
          message: `file is ${text.length} bytes; expected at most ${MAX_YAML_BYTES}`,
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const documents: SourceDocument[] = [];
  const issues: ValidationIssue[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const pos = (offset: number) => {
      const p = lineCounter.linePos(offset);
      return { line: p.line, column: p.col };
    };
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        issues.push({ file, ...pos(err.pos[0]), path: "", message: `invalid YAML: ${cleanYamlMessage(err.message)}` });
      }
      return;
    }
    if (doc.contents === null) return;
    const depth = nodeDepth(doc.contents as Node, 0);
    if (depth > MAX_YAML_DEPTH) {
      const p = pos(doc.contents.range?.[0] ?? 0);
      issues.push({ file, ...p, path: "", message: `nesting is deeper than ${MAX_YAML_DEPTH} levels` });
      return;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      const p = pos(doc.contents.range?.[0] ?? 0);
      issues.push({ file, ...p, path: "", message: `invalid YAML: ${(err as Error).message}` });
      return;
    }
    const locate = (path: FieldPath) => pos(offsetOf(doc, path));
    documents.push({
      file,
      index,
      data,
      locate,
      issue: (path, message) => ({ file, ...locate(path), path: formatFieldPath(path), message }),
    });
  });
  return { documents, issues };
}

function cleanYamlMessage(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function nodeDepth(node: unknown, depth: number): number {
  if (depth > MAX_YAML_DEPTH) return depth;
  if (isMap(node) || isSeq(node)) {
    let max = depth + 1;
    for (const item of node.items) {
      const child = isPair(item) ? item.value : item;
      max = Math.max(max, nodeDepth(child, depth + 1));
      if (max > MAX_YAML_DEPTH) break;
    }
    return max;
  }
  return depth;
}

/**
 * The offset of the deepest node along `path` that exists: a field points at its key (where a person looks for
 * a typo), a list item at the item, and a missing field at its parent.
 */
function offsetOf(doc: Document, path: FieldPath): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (isNode(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (!isNode(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}
