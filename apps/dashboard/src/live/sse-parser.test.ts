import { describe, expect, it } from "vitest";
import { reconnectDelay, type SseMessage, SseParser } from "./sse-parser.ts";

function parse(chunks: string[]) {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = new SseParser({ onMessage: (m) => messages.push(m), onRetry: (ms) => retries.push(ms) });
  for (const c of chunks) parser.push(c);
  return { messages, retries, parser };
}

const STREAM =
  'retry: 3000\n\nid: 1-0,2-0\nevent: status\ndata: {"a":1}\n\n: keep-alive\n\nid: 1-1,2-0\nevent: cluster\ndata: {"b":2}\n\n';

describe("SseParser", () => {
  it("parses the API's stream: retry hint, events with ids, comments skipped", () => {
    const { messages, retries, parser } = parse([STREAM]);
    expect(retries).toEqual([3000]);
    expect(messages).toEqual([
      { id: "1-0,2-0", event: "status", data: '{"a":1}' },
      { id: "1-1,2-0", event: "cluster", data: '{"b":2}' },
    ]);
    expect(parser.lastEventId).toBe("1-1,2-0");
  });

  it("gives the same events however the bytes are split", () => {
    const whole = parse([STREAM]).messages;
    for (let size = 1; size < 12; size++) {
      const chunks = STREAM.match(new RegExp(`[\\s\\S]{1,${size}}`, "g")) ?? [];
      expect(parse(chunks).messages).toEqual(whole);
    }
  });

  it("accepts CRLF and CR line ends, a CRLF split between chunks included", () => {
    expect(parse(["event: x\r\ndata: 1\r", "\n\r\n"]).messages).toEqual([{ id: undefined, event: "x", data: "1" }]);
    expect(parse(["data: a\rdata: b\r\r"]).messages).toEqual([{ id: undefined, event: "message", data: "a\nb" }]);
  });

  it("joins data lines, drops an event with no data, holds an unfinished one", () => {
    const { messages } = parse(["event: e\n\ndata: one\ndata: two\n\ndata: unfinished\n"]);
    expect(messages).toEqual([{ id: undefined, event: "message", data: "one\ntwo" }]);
  });

  it("ignores hostile lines: unknown fields, a non-numeric retry, an id with NUL", () => {
    const { messages, retries, parser } = parse(["retry: soon\nfoo: bar\nid: a\0b\ndata\n\n"]);
    expect(retries).toEqual([]);
    expect(parser.lastEventId).toBeUndefined();
    expect(messages).toEqual([{ id: undefined, event: "message", data: "" }]);
  });
});

describe("reconnectDelay", () => {
  it("doubles from the hint up to the cap, with ±20 % jitter", () => {
    expect([0, 1, 2, 3].map((attempt) => reconnectDelay({ attempt, baseMs: 1000, maxMs: 30_000 }))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(reconnectDelay({ attempt: 50, baseMs: 1000, maxMs: 30_000 })).toBe(30_000);
    expect(reconnectDelay({ attempt: 0, baseMs: 1000, maxMs: 30_000, random: 0 })).toBe(800);
    expect(reconnectDelay({ attempt: 0, baseMs: 1000, maxMs: 30_000, random: 1 })).toBe(1200);
  });
});
