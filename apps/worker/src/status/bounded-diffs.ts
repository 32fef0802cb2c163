import type { ResourceStatus } from "@flotilla/status";

/**
 * Most characters of drift values one status carries. A status is read whole by every list and every sync of its
 * cluster, so a hundred drifted objects must not make it megabytes: past the budget an object keeps its drifted
 * paths and loses their values.
 */
export const DIFF_BUDGET_CHARS = 32_768;

/** The resources with their diffs kept in order until the budget is spent; the rest keep `drift` paths only. */
export function boundedDiffs(resources: readonly ResourceStatus[], budget = DIFF_BUDGET_CHARS): ResourceStatus[] {
  let left = budget;
  return resources.map((resource) => {
    if (resource.diff === undefined) return resource;
    const size = resource.diff.reduce(
      (n, d) => n + d.path.length + (d.desired?.length ?? 0) + (d.live?.length ?? 0),
      0,
    );
    if (size <= left) {
      left -= size;
      return resource;
    }
    left = 0;
    const { diff: _dropped, ...rest } = resource;
    return rest;
  });
}
