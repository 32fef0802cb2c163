import type { Application, ApplicationSet, ElementError } from "@flotilla/core";

/** The API's answers about ApplicationSets (apps/api `schemas/appsets.ts`), as the CLI reads them. */
export interface AppSetSummary {
  name: string;
  file?: string;
  commit: string;
  lastGeneration: string;
  counts: {
    applications: number;
    creates: number;
    updates: number;
    deletes: number;
    unchanged: number;
    errors: number;
  };
  held: number;
  generatorError?: string;
  removed: boolean;
  frozen: boolean;
}

export interface HeldApplication {
  application: string;
  cluster?: string;
}

export interface AppSetDetail extends AppSetSummary {
  spec?: ApplicationSet;
  specCommit?: string;
  lastGenerationRecord: {
    errors: ElementError[];
    errorsTruncated: boolean;
    held?: { count: number; names: string[]; reason: string };
  };
  hold?: { kind: "shrink" | "removed"; reason: string; applications: HeldApplication[]; since: string; commit: string };
  pendingDecision?: { action: "release" | "dismiss"; at: string; applications: number };
  dismissed: string[];
}

interface Located {
  appSet: string;
  file: string;
  line: number;
}

export interface PreviewItem extends Located {
  applications: Application[];
  errors: ElementError[];
  generatorError?: string;
}

export interface DiffItem extends Located {
  stored: boolean;
  creates: { application: string; cluster: string }[];
  updates: { application: string; cluster: string; fields: string[] }[];
  deletes: { application: string; cluster?: string; held: boolean }[];
  unchanged: number;
  errors: ElementError[];
  generatorError?: string;
  held?: { count: number; reason: string };
}

export interface HoldDecisionAnswer {
  appSet: string;
  action: "release" | "dismiss";
  kind: "shrink" | "removed";
  applications: HeldApplication[];
  at: string;
  message: string;
}
