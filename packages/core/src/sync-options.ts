/**
 * Argo CD's `syncPolicy.syncOptions`, as far as Flotilla honours them. Every entry is `Name=value`; an entry not
 * in this table is refused when the file is parsed, so no option is accepted and silently ignored.
 */
export interface SyncOptions {
  /** `CreateNamespace=true`: create the destination namespace when it is missing (never pruned). */
  createNamespace: boolean;
  /** `Prune=false`: nothing of this Application is ever pruned, whatever `automated.prune` says. */
  prune: boolean;
  /** `PrunePropagationPolicy=foreground|background|orphan`: how dependents go when an object is pruned. */
  prunePropagationPolicy: "Foreground" | "Background" | "Orphan";
}

export function defaultSyncOptions(): SyncOptions {
  return { createNamespace: false, prune: true, prunePropagationPolicy: "Background" };
}

/**
 * Each accepted entry and what it sets. `PruneLast=true`, `ServerSideApply=true`, `Replace=false` and
 * `Validate=true` are what Flotilla always does (prune runs after every apply; every apply is server-side, where the
 * API server checks every field; nothing is replaced), so they are accepted and change nothing.
 */
const ACCEPTED: ReadonlyMap<string, Partial<SyncOptions>> = new Map<string, Partial<SyncOptions>>([
  ["CreateNamespace=true", { createNamespace: true }],
  ["CreateNamespace=false", { createNamespace: false }],
  ["Prune=false", { prune: false }],
  ["Prune=true", { prune: true }],
  ["Validate=true", {}],
  ["PrunePropagationPolicy=foreground", { prunePropagationPolicy: "Foreground" }],
  ["PrunePropagationPolicy=background", { prunePropagationPolicy: "Background" }],
  ["PrunePropagationPolicy=orphan", { prunePropagationPolicy: "Orphan" }],
  ["PruneLast=true", {}],
  ["ServerSideApply=true", {}],
  ["Replace=false", {}],
  ["ApplyOutOfSyncOnly=false", {}],
]);

/** Why some options that Argo CD knows are refused: the sentence says what to write instead. */
const REFUSED: ReadonlyMap<string, string> = new Map([
  ["ServerSideApply=false", "Flotilla always applies server-side; remove it"],
  ["Replace=true", "Flotilla never replaces objects (it applies server-side); remove it"],
  ["PruneLast=false", "Flotilla always prunes after the apply; remove it"],
  [
    "Validate=false",
    "not supported: a server-side apply checks every field against the API server's schema whatever this option says; remove it and fix the manifest",
  ],
  [
    "ApplyOutOfSyncOnly=true",
    "not supported: every sync applies every object (a server-side apply of an unchanged object changes nothing); remove it",
  ],
]);

export const SUPPORTED_SYNC_OPTIONS: readonly string[] = [...ACCEPTED.keys()];

/** Why one entry cannot be honoured, or undefined when it can. */
export function syncOptionProblem(entry: string): string | undefined {
  if (ACCEPTED.has(entry)) return undefined;
  const refused = REFUSED.get(entry);
  if (refused !== undefined) return `"${entry}": ${refused}`;
  return `"${entry}" is not a supported sync option; supported: ${SUPPORTED_SYNC_OPTIONS.join(", ")}`;
}

/** The options an Application's list asks for; entries that are not supported are skipped (validation refused them). */
export function syncOptionsOf(entries: readonly string[] | undefined): SyncOptions {
  let options = defaultSyncOptions();
  for (const entry of entries ?? []) options = { ...options, ...ACCEPTED.get(entry) };
  return options;
}
