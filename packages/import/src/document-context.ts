import { type FieldPath, formatFieldPath } from "@flotilla/core";
import { ConversionError } from "./conversion-error.ts";
import { convertFastTemplate } from "./fasttemplate.ts";
import { convertGoTemplate } from "./go-template/convert.ts";
import type { ImportIssue, ImportIssueKind, ImportNote } from "./issues.ts";
import type { ParamScope } from "./param-scope.ts";
import type { SourceMap } from "./source-map.ts";

export type TemplateMode = "fasttemplate" | "goTemplate";

/** One document being converted: where it is, what went wrong so far, and how its templates convert. */
export class DocumentContext {
  readonly file: string;
  readonly issues: ImportIssue[] = [];
  readonly notes: ImportNote[] = [];
  mode: TemplateMode = "fasttemplate";
  scope: ParamScope = { gitPrefixes: [], openKeys: true, clusters: false };
  private readonly map: SourceMap;

  constructor(file: string, map: SourceMap) {
    this.file = file;
    this.map = map;
  }

  invalid(path: FieldPath, message: string): void {
    this.issue("invalid", path, message);
  }

  unsupported(path: FieldPath, message: string): void {
    this.issue("unsupported", path, message);
  }

  note(path: FieldPath, message: string): void {
    this.notes.push({ file: this.file, ...this.map.field(path), path: formatFieldPath(path), message });
  }

  /** The Flotilla form of a template string at `path`, or undefined (with an issue at the expression) when none. */
  template(path: FieldPath, text: string): string | undefined {
    try {
      return this.mode === "goTemplate" ? convertGoTemplate(text, this.scope) : convertFastTemplate(text, this.scope);
    } catch (err) {
      if (!(err instanceof ConversionError)) throw err;
      const where = this.map.expression(path, err.offset, err.expression);
      this.issues.push({
        kind: "unsupported",
        file: this.file,
        ...where,
        path: formatFieldPath(path),
        message: err.message,
      });
      return undefined;
    }
  }

  private issue(kind: ImportIssueKind, path: FieldPath, message: string): void {
    this.issues.push({ kind, file: this.file, ...this.map.field(path), path: formatFieldPath(path), message });
  }
}
