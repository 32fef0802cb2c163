import { type FleetState, type FleetSummary, fleetSummary } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { ServerUnreachableError } from "../api/errors.ts";
import { waitUntilWell } from "./status.ts";

const empty: FleetState = {
  now: 0,
  clusters: [],
  applications: [],
  details: new Map(),
  pendingDeletions: [],
  lostClusters: [],
  generations: [],
  holds: [],
  poolWorkers: [],
};
const wellSummary = fleetSummary(empty);
const unwell = (n: number): FleetSummary => ({
  ...wellSummary,
  well: false,
  problems: { ...wellSummary.problems, applications: { count: n, items: [] } },
});

/** A clock that moves only when the wait sleeps, so no test depends on the machine's speed. */
function fakeTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

function io(isTTY: boolean) {
  const err: string[] = [];
  return { io: { stdout: () => undefined, stderr: (s: string) => err.push(s), isTTY }, err };
}

describe("waitUntilWell", () => {
  it("re-reads until well; without a terminal, one progress line per change", async () => {
    const answers = [unwell(2), unwell(2), unwell(1), wellSummary];
    const out = io(false);
    const got = await waitUntilWell(async () => answers.shift()!, { timeoutMs: 60_000, ...fakeTime(), ...out });
    expect(got.well).toBe(true);
    expect(out.err).toEqual(["waiting (0s): 2 unwell Application(s)\n", "waiting (4s): 1 unwell Application(s)\n"]);
  });

  it("on a terminal, redraws one line and clears it at the end", async () => {
    const answers = [unwell(2), wellSummary];
    const out = io(true);
    await waitUntilWell(async () => answers.shift()!, { timeoutMs: 60_000, ...fakeTime(), ...out });
    expect(out.err).toEqual(["\r\x1b[2Kwaiting (0s): 2 unwell Application(s)", "\r\x1b[2K"]);
  });

  it("gives up at the timeout with the last summary, saying so", async () => {
    const out = io(false);
    const got = await waitUntilWell(async () => unwell(3), {
      timeoutMs: 5_000,
      intervalMs: 2_000,
      ...fakeTime(),
      ...out,
    });
    expect(got).toEqual(unwell(3));
    expect(out.err.at(-1)).toBe("timed out after 5s; still wrong:\n");
  });

  it("waits out an API that does not answer for a while, and fails with it when it never does", async () => {
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls < 3) throw new ServerUnreachableError("cannot reach the Flotilla API at http://x: ECONNREFUSED");
      return wellSummary;
    };
    const out = io(false);
    expect((await waitUntilWell(flaky, { timeoutMs: 60_000, ...fakeTime(), ...out })).well).toBe(true);
    expect(out.err).toEqual(["waiting (0s): cannot reach the Flotilla API at http://x: ECONNREFUSED\n"]);
    const down = async (): Promise<FleetSummary> => {
      throw new ServerUnreachableError("down");
    };
    await expect(waitUntilWell(down, { timeoutMs: 5_000, ...fakeTime(), ...io(false) })).rejects.toThrow("down");
  });
});
