/** One managedFields entry, as the API server reports it. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  time?: string;
}

/**
 * Whether the latest write to an object's intent (its spec, data, labels …) was someone else's: the newest
 * managedFields entry outside the status subresource belongs to another manager. Controllers writing status do
 * not count; Flotilla's own applies do not either, so syncing never triggers itself. A controller writing the
 * main resource (the Deployment revision annotation) does count: the drift check it causes finds nothing.
 */
export function changedByOthers(
  managedFields: readonly ManagedFieldsEntry[] | undefined,
  fieldManager: string,
): boolean {
  return changedByOthersAt(managedFields, fieldManager) !== undefined;
}

/**
 * When someone else last wrote the object's intent (epoch ms; Infinity when the entry has no time), or
 * undefined when the latest write was Flotilla's or only status was written: lets a watch that re-listed after a
 * gap tell the edits made during the gap from older ones.
 */
export function changedByOthersAt(
  managedFields: readonly ManagedFieldsEntry[] | undefined,
  fieldManager: string,
): number | undefined {
  let newest: ManagedFieldsEntry | undefined;
  let newestTime = Number.NEGATIVE_INFINITY;
  for (const entry of managedFields ?? []) {
    if (entry.subresource === "status") continue;
    // The API server records no time for some writes (`kubectl scale`, through the scale subresource): someone
    // else's untimed write counts as the newest, so it is never ordered behind our older apply and missed.
    const untimed = entry.manager === fieldManager ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    const time = entry.time === undefined ? untimed : Date.parse(entry.time);
    // Same second (the resolution of these times): an entry other than ours wins, so an edit is never missed.
    if (time > newestTime || (time === newestTime && entry.manager !== fieldManager)) {
      newest = entry;
      newestTime = time;
    }
  }
  return newest !== undefined && newest.manager !== fieldManager ? newestTime : undefined;
}
