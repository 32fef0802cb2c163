import { API, signalUnauthorized, tokenStore } from "../api/client.ts";
import type { AppSummary } from "../api/types.ts";
import { reconnectDelay, SseParser } from "./sse-parser.ts";

/** The fleet events the dashboard acts on (apps/api/src/events/fleet-event.ts has them all). */
export type LiveEvent =
  | { event: "status"; data: AppSummary }
  | { event: "deleted"; data: { cluster: string; appSet: string; application: string } }
  | { event: "cluster"; data: { type: string; cluster: string } }
  | { event: "generation"; data: { appSet: string; present: boolean } }
  | { event: "resync"; data: { reason: string } };

export type StreamState = "live" | "disconnected";

const KNOWN = new Set(["status", "deleted", "cluster", "generation", "resync"]);

/**
 * `GET /api/v1/events` read with fetch (EventSource cannot send an Authorization header): parsed as it streams,
 * resumed with Last-Event-ID after a drop, reconnecting with a growing delay until it answers again.
 */
export class FleetEventStream {
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private readonly stateListeners = new Set<(s: StreamState) => void>();
  private abort: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private retryMs = 1000;
  private lastEventId: string | undefined;
  private stopped = true;
  state: StreamState = "disconnected";

  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (s: StreamState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort?.abort();
    this.setState("disconnected");
  }

  private setState(state: StreamState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.stateListeners) l(state);
  }

  private async connect(): Promise<void> {
    const token = tokenStore.get();
    if (token === undefined) {
      this.stop();
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    const parser = new SseParser({
      onMessage: (m) => {
        if (!KNOWN.has(m.event)) return;
        let data: unknown;
        try {
          data = JSON.parse(m.data);
        } catch {
          return;
        }
        const event = { event: m.event, data } as LiveEvent;
        for (const l of this.listeners) l(event);
      },
      onRetry: (ms) => {
        this.retryMs = Math.max(250, Math.min(60_000, ms));
      },
    });
    parser.lastEventId = this.lastEventId;
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "text/event-stream" };
      if (this.lastEventId !== undefined) headers["last-event-id"] = this.lastEventId;
      const res = await fetch(`${API}/events`, { headers, signal: abort.signal, cache: "no-store" });
      if (res.status === 401) {
        signalUnauthorized();
        this.stop();
        return;
      }
      if (!res.ok || res.body === null) throw new Error(`event stream answered ${res.status}`);
      this.setState("live");
      this.attempt = 0;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        this.lastEventId = parser.lastEventId;
      }
    } catch {
      // A drop, a refusal or an abort: all end in the same place below.
    }
    this.lastEventId = parser.lastEventId;
    if (this.stopped) return;
    this.setState("disconnected");
    const delay = reconnectDelay({
      attempt: this.attempt++,
      baseMs: this.retryMs,
      maxMs: 30_000,
      random: Math.random(),
    });
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}

/** The page's one stream, shared by every view. */
export const fleetEvents = new FleetEventStream();
