import { type ObjectRef, subjectOf } from "../object.ts";
import { KubeError } from "./kube-error.ts";

/**
 * A sync-wave or hook annotation that cannot be understood: formats as
 * `Kind/namespace/name: annotation <name> is "<value>"; expected …`, so the manifest can be found and fixed.
 */
export class InvalidSyncAnnotation extends KubeError {
  override readonly name = "InvalidSyncAnnotation";
  declare readonly ref: ObjectRef;
  readonly annotation: string;
  readonly value: string;

  constructor(options: { ref: ObjectRef; annotation: string; value: string; expected: string }) {
    super(
      `${subjectOf(options.ref)}: annotation ${options.annotation} is ${JSON.stringify(options.value)}; expected ${options.expected}`,
      options.ref,
    );
    this.annotation = options.annotation;
    this.value = options.value;
  }
}
