import { InvalidSyncAnnotation } from "./errors/invalid-sync-annotation.ts";
import { type KubeObject, refOf } from "./object.ts";
import { applyStage, sortForApply, sortForDelete } from "./order.ts";

/** `flotilla.dev/sync-wave: "<integer>"`: objects apply wave by wave, lowest first; absent means wave 0. */
export const SYNC_WAVE_ANNOTATION = "flotilla.dev/sync-wave";
/** Argo CD's name for the same, so manifests written for Argo CD keep their order; Flotilla's wins when both are set. */
export const ARGOCD_SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

/** Objects applied together; the next wave starts only once these are Healthy. */
export interface Wave {
  wave: number;
  objects: KubeObject[];
}

const INTEGER = /^[+-]?\d+$/;

/** The object's sync wave (0 when unannotated); a value that is not an integer is refused, naming the object. */
export function waveOf(object: KubeObject): number {
  const annotations = object.metadata.annotations ?? {};
  const annotation =
    annotations[SYNC_WAVE_ANNOTATION] !== undefined ? SYNC_WAVE_ANNOTATION : ARGOCD_SYNC_WAVE_ANNOTATION;
  const raw = annotations[annotation];
  if (raw === undefined) return 0;
  const value = Number(String(raw).trim());
  if (!INTEGER.test(String(raw).trim()) || !Number.isSafeInteger(value)) {
    throw new InvalidSyncAnnotation({
      ref: refOf(object),
      annotation,
      value: String(raw),
      expected: "an integer wave such as -1, 0 or 5",
    });
  }
  return value;
}

/** The wave of a live object about to be deleted: one that cannot be read counts as wave 0, so it still goes. */
export function liveWaveOf(object: KubeObject): number {
  try {
    return waveOf(object);
  } catch {
    return 0;
  }
}

/** Objects grouped by wave, ascending, each group in kind order; `waveOf` throws for a bad annotation. */
export function groupByWave(objects: readonly KubeObject[], wave: (o: KubeObject) => number = waveOf): Wave[] {
  const byWave = new Map<number, KubeObject[]>();
  for (const object of objects) {
    const n = wave(object);
    const group = byWave.get(n);
    if (group === undefined) byWave.set(n, [object]);
    else group.push(object);
  }
  return [...byWave.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, group]) => ({ wave: n, objects: sortForApply(group) }));
}

/**
 * The apply waves of a set: by wave, lowest first, kind order inside each. Namespaces and CRDs join the first
 * wave whatever their own annotation, since everything else may need them; the apply still puts them first in it.
 */
export function planWaves(objects: readonly KubeObject[]): Wave[] {
  // Every annotation is checked, those of Namespaces and CRDs too: a typo is refused wherever it is.
  for (const object of objects) waveOf(object);
  const first = objects.filter((o) => applyStage(o) === 0);
  const waves = groupByWave(objects.filter((o) => applyStage(o) !== 0));
  if (first.length === 0) return waves;
  const [lowest, ...rest] = waves;
  if (lowest === undefined) return [{ wave: Math.min(...first.map(waveOf)), objects: sortForApply(first) }];
  return [{ wave: lowest.wave, objects: sortForApply([...first, ...lowest.objects]) }, ...rest];
}

/**
 * Live objects in the order they are deleted, the reverse of applying: the highest wave first, kinds reversed
 * inside each wave, and Namespaces and CRDs last of all, since deleting them takes everything in them along.
 */
export function pruneWaves(objects: readonly KubeObject[]): Wave[] {
  const last = objects.filter((o) => applyStage(o) === 0);
  const waves = groupByWave(
    objects.filter((o) => applyStage(o) !== 0),
    liveWaveOf,
  )
    .reverse()
    .map((w) => ({ wave: w.wave, objects: sortForDelete(w.objects) }));
  if (last.length === 0) return waves;
  return [...waves, { wave: Math.min(...last.map(liveWaveOf)), objects: sortForDelete(last) }];
}
