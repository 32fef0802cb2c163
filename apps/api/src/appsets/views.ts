import type { ApplicationSet } from "@flotilla/core";
import type { AppSetSource, GenerationCounts, GenerationRecord, HoldDecision, HoldRecord } from "@flotilla/store";

/** One line of `GET /appsets`. */
export interface AppSetSummary {
  name: string;
  /** The fleet file it was last read from. */
  file?: string;
  /** The fleet commit of its last generation. */
  commit: string;
  /** ISO time of its last generation (or failed attempt). */
  lastGeneration: string;
  counts: GenerationCounts;
  /** Applications whose deletion is held (by the guard, or because the ApplicationSet left Git). */
  held: number;
  generatorError?: string;
  /** It left Git; its Applications are held until released or dismissed. */
  removed: boolean;
  /** Its last generation failed as a whole: the generation before stays in force, frozen, until one succeeds. */
  frozen: boolean;
}

/** `GET /appsets/:name`: the summary, what the ApplicationSet says, its last generation and its hold. */
export interface AppSetDetail extends AppSetSummary {
  /** The ApplicationSet as last read from Git (generators, template, sync policy); absent before the first read. */
  spec?: ApplicationSet;
  /** The fleet commit the spec was read at (a broken file keeps the last one that parsed). */
  specCommit?: string;
  lastGenerationRecord: GenerationRecord;
  hold?: HoldRecord;
  /** A release or dismiss waiting for the generator's next cycle. */
  pendingDecision?: { action: HoldDecision["action"]; at: string; applications: number };
  /** Held names an operator dismissed: kept, and not held again as they are. */
  dismissed: string[];
}

export interface AppSetFacts {
  record: GenerationRecord;
  source?: AppSetSource;
  hold?: HoldRecord;
}

export function summaryOf(facts: AppSetFacts): AppSetSummary {
  const { record, source, hold } = facts;
  const file = record.file ?? source?.file;
  return {
    name: record.appSet,
    ...(file !== undefined && { file }),
    commit: record.commit,
    lastGeneration: record.time,
    counts: record.counts,
    held: hold?.applications.length ?? 0,
    ...(record.generatorError !== undefined && { generatorError: record.generatorError }),
    removed: hold?.kind === "removed",
    frozen: record.generatorError !== undefined,
  };
}

export function detailOf(facts: AppSetFacts & { decision?: HoldDecision; dismissed: readonly string[] }): AppSetDetail {
  const { source, hold, decision } = facts;
  return {
    ...summaryOf(facts),
    ...(source !== undefined && { spec: source.spec, specCommit: source.commit }),
    lastGenerationRecord: facts.record,
    ...(hold !== undefined && { hold }),
    ...(decision !== undefined && {
      pendingDecision: { action: decision.action, at: decision.at, applications: decision.applications.length },
    }),
    dismissed: [...facts.dismissed],
  };
}
