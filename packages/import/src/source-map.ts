import type { FieldPath } from "@flotilla/core";
import { type Document, isMap, isNode, isScalar, isSeq, type LineCounter } from "yaml";

/** Positions inside one YAML document: of a field's key, or of an expression inside a string value. */
export class SourceMap {
  private readonly doc: Document;
  private readonly lines: LineCounter;
  private readonly text: string;

  constructor(init: { doc: Document; lines: LineCounter; text: string }) {
    this.doc = init.doc;
    this.lines = init.lines;
    this.text = init.text;
  }

  /** The field's key (where a person looks for a typo), or the deepest parent that exists. */
  field(path: FieldPath): { line: number; column: number } {
    return this.at(this.walk(path).keyOffset);
  }

  /**
   * Where `expression` sits in the string at `path`: found in the scalar's source text, so that quoting and block
   * scalars do not shift it; the scalar's start when the source spells it differently (escapes, folding).
   */
  expression(path: FieldPath, offset: number, expression: string): { line: number; column: number } {
    const { node } = this.walk(path);
    if (!isScalar(node) || node.range === undefined || node.range === null) return this.field(path);
    const [start, end] = node.range;
    const source = this.text.slice(start, end);
    const value = typeof node.value === "string" ? node.value : "";
    // The n-th occurrence in the value is the n-th in the source, when the source spells the value as it is.
    const probe = expression.endsWith("...") ? expression.slice(0, -3) : expression;
    // `offset` may point inside the expression (at a function name): count the occurrences that start before it.
    let nth = -1;
    for (let k = value.indexOf(probe); k !== -1 && k <= offset; k = value.indexOf(probe, k + 1)) nth++;
    nth = Math.max(0, nth);
    let found = -1;
    for (let k = 0, from = 0; k <= nth; k++, from = found + 1) {
      found = source.indexOf(probe, from);
      if (found === -1) break;
    }
    return this.at(found === -1 ? start : start + found);
  }

  private at(offset: number): { line: number; column: number } {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  private walk(path: FieldPath): { node: unknown; keyOffset: number } {
    let node: unknown = this.doc.contents;
    let keyOffset = (this.doc.contents as { range?: [number] } | null)?.range?.[0] ?? 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return { node: undefined, keyOffset };
        keyOffset = (isNode(pair.key) ? pair.key.range?.[0] : undefined) ?? keyOffset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number") {
        const item = node.items[seg];
        if (!isNode(item)) return { node: undefined, keyOffset };
        keyOffset = item.range?.[0] ?? keyOffset;
        node = item;
      } else return { node: undefined, keyOffset };
    }
    return { node, keyOffset };
  }
}
