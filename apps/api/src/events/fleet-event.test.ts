import { describe, expect, it } from "vitest";
import { compareIds, formatPosition, formatSse, parsePosition } from "./fleet-event.ts";

describe("stream positions (event ids)", () => {
  it("round-trips an id this stream sent", () => {
    const p = { status: "1733054400000-3", cluster: "0-0" };
    expect(parsePosition(formatPosition(p))).toEqual(p);
  });

  it.each(["", "1-0", "1-0,2-0,3-0", "a-b,1-0", "1-0,1", "1-0;DROP,1-0", `${"9".repeat(21)}-0,1-0`])(
    "refuses %j",
    (text) => {
      expect(parsePosition(text)).toBeUndefined();
    },
  );

  it("compares ids as (ms, seq) numbers, not text", () => {
    expect(compareIds("9-0", "10-0")).toBeLessThan(0);
    expect(compareIds("10-2", "10-10")).toBeLessThan(0);
    expect(compareIds("10-2", "10-2")).toBe(0);
    expect(compareIds("11-0", "10-99")).toBeGreaterThan(0);
  });
});

describe("formatSse", () => {
  it("writes id, event and one line of JSON data, ending with a blank line", () => {
    const text = formatSse({
      id: { status: "5-0", cluster: "0-0" },
      event: { event: "deleted", data: { cluster: "prod", appSet: "shop", application: "web\nx" } },
    });
    expect(text).toBe(
      'id: 5-0,0-0\nevent: deleted\ndata: {"cluster":"prod","appSet":"shop","application":"web\\nx"}\n\n',
    );
  });
});
