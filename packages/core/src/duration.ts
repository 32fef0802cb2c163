import { z } from "zod";

/**
 * The one duration rule of every Flotilla setting (configuration files, FLOTILLA_* variables): whole numbers with
 * a unit (ms, s, m, h, d), optionally combined largest first as in `1h30m`, or `0` for none. A bare number is
 * refused rather than guessed: `180` meant 180 ms in one service and was an error in the other, and neither is
 * what someone writing "three minutes" expects.
 */
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const ORDER: readonly Unit[] = ["d", "h", "m", "s", "ms"];
const PART = /(\d+)(ms|d|h|m|s)/y;

export const DURATION_EXAMPLES = "500ms, 30s, 3m, 1h, 1h30m or 7d";

export type DurationResult = { ok: true; ms: number } | { ok: false; problem: string };

export function parseDuration(input: string | number): DurationResult {
  const text = String(input).trim();
  if (text === "0") return { ok: true, ms: 0 };
  if (/^\d+$/.test(text)) {
    return { ok: false, problem: `"${text}" has no unit; write ${text}s for seconds or ${text}ms for milliseconds` };
  }
  const refused: DurationResult = {
    ok: false,
    problem: `"${text}" is not a duration; write a whole number with a unit, like ${DURATION_EXAMPLES}`,
  };
  let ms = 0;
  let last = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (m === null) return refused;
    const rank = ORDER.indexOf(m[2] as Unit);
    // 1m1h or 1s1s is more likely a slip than a sum.
    if (rank <= last) return refused;
    last = rank;
    ms += Number(m[1]) * UNIT_MS[m[2] as Unit];
  }
  if (last < 0 || !Number.isSafeInteger(ms)) return refused;
  return { ok: true, ms };
}

/** The same rule for a configuration file field: the parsed value is milliseconds. */
export const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const result = parseDuration(value);
  if (result.ok) return result.ms;
  ctx.addIssue({ code: "custom", message: result.problem });
  return z.NEVER;
});

/** The duration in its largest whole unit, as the resource format writes it (`86400000` → `1d`). */
export function formatDuration(ms: number): string {
  for (const unit of ORDER) {
    const size = UNIT_MS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
