import { describe, expect, it } from "vitest";
import { decodeNameCursor, encodeNameCursor, pageByName } from "./name-page.ts";

const fleet = ["alpha", "beta", "delta", "gamma", "omega"].map((name) => ({ name }));
const byName = (c: { name: string }) => c.name;
const names = (items: readonly { name: string }[]) => items.map((c) => c.name);

describe("pageByName", () => {
  it("answers every item without a limit, and no next", () => {
    expect(pageByName(fleet, byName, {})).toEqual({ items: fleet });
  });

  it("walks the list a page at a time, each item once, the last page without next", () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = pageByName(fleet, byName, { limit: 2, ...(after !== undefined && { after }) });
      seen.push(...names(page.items));
      after = page.next === undefined ? undefined : decodeNameCursor(page.next);
      if (page.next !== undefined) expect(after).toBe(page.items[1]?.name);
      pages++;
    } while (after !== undefined);
    expect(seen).toEqual(names(fleet));
    expect(pages).toBe(3);
  });

  it("gives no next when the page ends exactly at the last item", () => {
    expect(pageByName(fleet, byName, { limit: 5 }).next).toBeUndefined();
    expect(names(pageByName(fleet, byName, { limit: 2, after: "delta" }).items)).toEqual(["gamma", "omega"]);
    expect(pageByName(fleet, byName, { limit: 2, after: "delta" }).next).toBeUndefined();
  });

  it("continues after a cursor's item that was removed meanwhile", () => {
    expect(names(pageByName(fleet, byName, { limit: 2, after: "charlie" }).items)).toEqual(["delta", "gamma"]);
    expect(pageByName(fleet, byName, { after: "zulu" })).toEqual({ items: [] });
  });
});

describe("decodeNameCursor", () => {
  it("reads back what encodeNameCursor made", () => {
    expect(decodeNameCursor(encodeNameCursor("edge-7"))).toBe("edge-7");
  });

  it.each([
    ["not base64url", "a+b/c="],
    ["empty", ""],
    ["not JSON", Buffer.from("{after").toString("base64url")],
    ["an array", Buffer.from('["edge"]').toString("base64url")],
    ["after not a string", Buffer.from('{"after":7}').toString("base64url")],
    ["after empty", Buffer.from('{"after":""}').toString("base64url")],
    ["after too long", Buffer.from(JSON.stringify({ after: "x".repeat(254) })).toString("base64url")],
    ["too long", "A".repeat(1025)],
    ["null", Buffer.from("null").toString("base64url")],
  ])("refuses a cursor that is %s", (_what, cursor) => {
    expect(decodeNameCursor(cursor)).toBeUndefined();
  });
});
