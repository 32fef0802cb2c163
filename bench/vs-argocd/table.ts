// The side-by-side table: pure, so its ratios and formatting are unit-tested.

/** One system's figures. Durations in ms; undefined when the phase did not finish. */
export interface SystemFigures {
  system: string;
  convergeMs?: number;
  /** Requests the API servers counted from the commit to convergence (bench/vs-argocd/api-requests.ts). */
  convergeRequests?: number;
  /** Commands Redis counted over the same time (bench/vs-argocd/redis-commands.ts). */
  convergeRedisCommands?: number;
  /** When convergence did not finish within the phase's limit: how far it got, and in how long. */
  convergeShortfall?: { done: number; expected: number; afterMs: number };
  changeP50Ms?: number;
  changeP99Ms?: number;
  revertP50Ms?: number;
  revertP99Ms?: number;
  /** Edits not reverted within the phase's limit. */
  unreverted: number;
  cpuSeconds: number;
  /** Sum over the system's processes of each one's peak RSS (VmHWM). */
  peakRssBytes: number;
  processes: string;
}

type Metric = { label: string; pick: (f: SystemFigures) => number | undefined; format: (v: number) => string };

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

const metrics: Metric[] = [
  { label: "commit → all Synced+Healthy", pick: (f) => f.convergeMs, format: secs },
  { label: "API requests while converging", pick: (f) => f.convergeRequests, format: (v) => String(Math.round(v)) },
  {
    label: "Redis commands while converging",
    pick: (f) => f.convergeRedisCommands,
    format: (v) => String(Math.round(v)),
  },
  { label: "one-file change → applied p50", pick: (f) => f.changeP50Ms, format: secs },
  { label: "one-file change → applied p99", pick: (f) => f.changeP99Ms, format: secs },
  { label: "manual edit → reverted p50", pick: (f) => f.revertP50Ms, format: secs },
  { label: "manual edit → reverted p99", pick: (f) => f.revertP99Ms, format: secs },
  { label: "CPU-seconds (all processes)", pick: (f) => f.cpuSeconds, format: (v) => `${v.toFixed(1)} s` },
  { label: "peak RSS (all processes)", pick: (f) => f.peakRssBytes, format: mib },
];

/** "3.2×": how many times the peer's figure is Flotilla's (all figures here are lower-is-better). */
export function ratio(peer: number | undefined, flotilla: number | undefined): string {
  const times = over(peer, flotilla);
  return Number.isNaN(times) ? "–" : `${times.toFixed(1)}×`;
}

/** a / b, or NaN when either is missing or b is not positive. */
const over = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b <= 0 ? Number.NaN : a / b;

/** Rows of cells: metric, each system's value, then each peer's ratio to the first system (Flotilla). */
export function sideBySide(figures: readonly SystemFigures[]): string[][] {
  const [first, ...peers] = figures;
  if (first === undefined) return [];
  const header = ["", ...figures.map((f) => f.system), ...peers.map((p) => `${p.system} / ${first.system}`)];
  const converge = metrics[0];
  const rows = metrics.map((m) => [
    m.label,
    ...figures.map((f) => {
      const v = m.pick(f);
      if (v !== undefined) return m.format(v);
      const short = m === converge ? f.convergeShortfall : undefined;
      return short ? `did not finish (${short.done}/${short.expected} in ${secs(short.afterMs)})` : "did not finish";
    }),
    ...peers.map((p) => {
      const short =
        m === converge && p.convergeMs === undefined && first.convergeMs !== undefined
          ? p.convergeShortfall
          : undefined;
      // A peer still converging when the limit ran out took longer than the limit: a lower bound of the ratio.
      return short ? `> ${ratio(short.afterMs, first.convergeMs)}` : ratio(m.pick(p), m.pick(first));
    }),
  ]);
  const unreverted = ["edits not reverted", ...figures.map((f) => String(f.unreverted)), ...peers.map(() => "")];
  return [header, ...rows, unreverted];
}

/** The raw server-side-apply ceiling of the same API servers (bench/raw-apply.ts), to Deployments Available. */
export interface Ceiling {
  objects: number;
  availableMs: number;
  /** Requests the API servers counted from the first apply to every Deployment Available. */
  requests?: number;
}

/** The mean of the ceilings measured in one run; undefined when none was. */
export function meanCeiling(ceilings: readonly Ceiling[]): Ceiling | undefined {
  const [first] = ceilings;
  if (first === undefined) return undefined;
  const mean = (pick: (c: Ceiling) => number | undefined) => {
    const values = ceilings.map(pick).filter((v): v is number => v !== undefined);
    return values.length === 0 ? undefined : values.reduce((s, v) => s + v, 0) / values.length;
  };
  const requests = mean((c) => c.requests);
  return {
    objects: first.objects,
    availableMs: mean((c) => c.availableMs) as number,
    ...(requests === undefined ? {} : { requests: Math.round(requests) }),
  };
}

type Target = {
  label: string;
  goal: number;
  measured: (f: SystemFigures, argo?: SystemFigures, c?: Ceiling) => number;
  /** The measured ratio is a lower bound (the peer had not finished when its limit ran out). */
  atLeast?: (argo?: SystemFigures) => boolean;
};
// Issue 14's targets, each a ratio where higher is better; against Argo CD with its default settings.
const targets: Target[] = [
  {
    label: "convergence ≥ 3× Argo CD's",
    goal: 3,
    measured: (f, a) => over(a?.convergeMs ?? a?.convergeShortfall?.afterMs, f.convergeMs),
    atLeast: (a) => a?.convergeMs === undefined && a?.convergeShortfall !== undefined,
  },
  {
    label: "convergence ≥ 90 % of the raw SSA ceiling",
    goal: 0.9,
    measured: (f, _a, c) => over(c?.availableMs, f.convergeMs),
  },
  { label: "one-file change ≥ 3× faster (p50)", goal: 3, measured: (f, a) => over(a?.changeP50Ms, f.changeP50Ms) },
  { label: "≥ 3× less memory (peak RSS)", goal: 3, measured: (f, a) => over(a?.peakRssBytes, f.peakRssBytes) },
];

/** Rows of cells: each target, what was measured, and whether it is met; "–" where a figure is missing. */
export function targetRows(flotilla: SystemFigures, argo: SystemFigures | undefined, ceiling?: Ceiling): string[][] {
  const rows = targets.map((t) => {
    const v = t.measured(flotilla, argo, ceiling);
    if (Number.isNaN(v)) return [t.label, "–", "not measured"];
    const shown = t.goal < 1 ? `${(v * 100).toFixed(0)} %` : `${v.toFixed(1)}×`;
    const bound = t.atLeast?.(argo) === true;
    if (bound) return [t.label, `> ${shown}`, v >= t.goal ? "met" : "not known"];
    return [t.label, shown, v >= t.goal ? "met" : "NOT met"];
  });
  return [["target (issue 14)", "measured", ""], ...rows];
}

/** Aligned plain text for the terminal. */
export function formatText(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "))
    .join("\n");
}

/** A Markdown table, for bench/results. */
export function formatMarkdown(rows: readonly string[][]): string {
  const [header, ...body] = rows;
  if (header === undefined) return "";
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...body.map(line)].join("\n");
}
