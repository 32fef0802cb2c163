/** One server-sent event as the HTML standard's parsing rules assemble it. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * A streaming text/event-stream parser: fed decoded chunks in any split (a line may arrive in pieces), it calls
 * `onMessage` per complete event and `onRetry` for a `retry:` hint. Comments (`:`) are skipped; `lastEventId` is
 * kept across events as EventSource keeps it, for resuming with Last-Event-ID.
 */
export class SseParser {
  lastEventId: string | undefined;
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private sawCr = false;

  private readonly handlers: { onMessage: (m: SseMessage) => void; onRetry?: (ms: number) => void };

  constructor(handlers: { onMessage: (m: SseMessage) => void; onRetry?: (ms: number) => void }) {
    this.handlers = handlers;
  }

  push(chunk: string): void {
    let text = chunk;
    // A CRLF split across chunks: the LF belongs to the CR already taken as a line end.
    if (this.sawCr && text.startsWith("\n")) text = text.slice(1);
    this.sawCr = text.endsWith("\r");
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        break;
      case "event":
        this.event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
    }
  }

  private dispatch(): void {
    const event = this.event === "" ? "message" : this.event;
    this.event = "";
    if (this.data.length === 0) return;
    const data = this.data.join("\n");
    this.data = [];
    this.handlers.onMessage({ id: this.lastEventId, event, data });
  }
}

/** Delay before reconnect attempt `attempt` (0-based): doubling from the server's hint, capped, with jitter. */
export function reconnectDelay(input: { attempt: number; baseMs: number; maxMs: number; random?: number }): number {
  const random = input.random ?? 0.5;
  const exp = Math.min(input.maxMs, input.baseMs * 2 ** Math.max(0, Math.min(30, input.attempt)));
  // ±20 % so that a restart of the API does not bring every browser back in the same millisecond.
  return Math.round(exp * (0.8 + 0.4 * Math.max(0, Math.min(1, random))));
}
