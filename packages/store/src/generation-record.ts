import type { ApplicationDiff, ElementError, Generation } from "@flotilla/core";

export interface GenerationCounts {
  /** Applications in force after this generation (created, updated or unchanged, held deletions included). */
  applications: number;
  creates: number;
  updates: number;
  deletes: number;
  unchanged: number;
  errors: number;
}

/** What the last generation of one ApplicationSet did, for the API, the CLI and the next cycle's operator. */
export interface GenerationRecord {
  appSet: string;
  /** The fleet repository commit the ApplicationSet was read at. */
  commit: string;
  /** ISO time the generation was recorded. */
  time: string;
  counts: GenerationCounts;
  /** Per-element errors, the first `maxErrors` of `counts.errors`. */
  errors: ElementError[];
  errorsTruncated: boolean;
  /** Deletions that were due and held back by the deletion guard, and why. */
  held?: { count: number; names: string[]; reason: string };
  /** Set when the generator failed as a whole: nothing was deleted and the previous generation stays in force. */
  generatorError?: string;
  /** The fleet file the ApplicationSet came from; a file that stops parsing keeps the ApplicationSets it held in force. */
  file?: string;
}

export interface GenerationRecordOptions {
  /** Element errors kept in the record; the count is always exact. @defaultValue 100 */
  maxErrors?: number;
  /** Held deletion names kept in the record; the count is always exact. @defaultValue 100 */
  maxHeldNames?: number;
}

export interface GenerationRecordInput {
  appSet: string;
  commit: string;
  generation: Generation;
  diff: ApplicationDiff;
  /** @defaultValue now */
  time?: Date;
}

/**
 * Builds the record from the generation and its diff. Lists are capped so that one ApplicationSet with 100,000
 * broken elements cannot make its record (and every listing of records) enormous.
 */
export function generationRecordOf(
  input: GenerationRecordInput,
  options: GenerationRecordOptions = {},
): GenerationRecord {
  const maxErrors = options.maxErrors ?? 100;
  const maxHeld = options.maxHeldNames ?? 100;
  const { generation, diff } = input;
  const record: GenerationRecord = {
    appSet: input.appSet,
    commit: input.commit,
    time: (input.time ?? new Date()).toISOString(),
    counts: {
      applications: diff.creates.length + diff.updates.length + diff.unchanged.length,
      creates: diff.creates.length,
      updates: diff.updates.length,
      deletes: diff.deletes.length,
      unchanged: diff.unchanged.length,
      errors: generation.errors.length,
    },
    errors: generation.errors.slice(0, maxErrors),
    errorsTruncated: generation.errors.length > maxErrors,
  };
  if (diff.held !== undefined) {
    record.held = {
      count: diff.held.deletes.length,
      names: diff.held.deletes.slice(0, maxHeld),
      reason: diff.held.reason,
    };
  }
  if (generation.generatorError !== undefined) record.generatorError = generation.generatorError;
  return record;
}
