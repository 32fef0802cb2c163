const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(?:\d+(?:ms|s|m|h))+$/;
const PART = /(\d+)(ms|s|m|h)/g;

/**
 * A duration as Argo CD and Go write them: one or more `<integer><unit>` parts, unit `ms`, `s`, `m` or `h`
 * (`500ms`, `5s`, `3m`, `1h30m`). A bare number is refused: whether `180` means seconds or milliseconds is
 * exactly the ambiguity a unit removes. Undefined when the text is not such a duration.
 */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART))
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return Number.isSafeInteger(total) ? total : undefined;
}

export const DURATION_HINT = "a duration like 500ms, 5s, 3m or 1h30m";
