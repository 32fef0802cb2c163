// Test-only: a client of the API's event stream that keeps what it received, for integration tests.

export interface ReceivedEvent {
  id?: string;
  event: string;
  data: unknown;
}

export interface SseClient {
  readonly status: number;
  readonly events: ReceivedEvent[];
  /** Comment lines (`: keep-alive`) and `retry:` values, in arrival order. */
  readonly comments: string[];
  readonly retry: number[];
  /** Resolves with the first event (from now on, or already received) that `match` accepts; fails after `timeoutMs`. */
  next(match: (e: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): void;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
}

/** Opens `url` as an event stream and parses it as it arrives (the SSE format: fields, blank line ends an event). */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: abort.signal });
  const events: ReceivedEvent[] = [];
  const comments: string[] = [];
  const retry: number[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    if (res.body === null) return;
    const decoder = new TextDecoder();
    let buffer = "";
    let current: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let nl = buffer.indexOf("\n");
        while (nl >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line === "") {
            if (current.data.length > 0) {
              events.push({
                ...(current.id !== undefined && { id: current.id }),
                event: current.event ?? "message",
                data: JSON.parse(current.data.join("\n")),
              });
              for (const w of waiters) w();
            }
            current = { data: [] };
          } else if (line.startsWith(":")) comments.push(line.slice(1).trim());
          else {
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "id") current.id = value;
            else if (field === "event") current.event = value;
            else if (field === "data") current.data.push(value);
            else if (field === "retry") retry.push(Number(value));
          }
          nl = buffer.indexOf("\n");
        }
        for (const w of waiters) w();
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: res.status,
    events,
    comments,
    retry,
    ended,
    close: () => abort.abort(),
    next: (match, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found === undefined) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
  };
}
