const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** What a duration in the resource format looks like, for schemas and error messages. */
export const DURATION_PATTERN = DURATION;
export const DURATION_HINT = "a duration like 30m, 24h or 7d";

/** Milliseconds of a duration written with its unit (`500ms`, `30s`, `3m`, `24h`, `7d`); undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (m === null) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** The duration in its largest whole unit, as the resource format writes it (`86400000` → `1d`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
