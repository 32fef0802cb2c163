import { useEffect } from "preact/hooks";
import { fleetEvents, type LiveEvent } from "../live/event-stream.ts";

/** Re-reads a page when an event concerns it, at most every `ms` (a sync writes several events in a row). */
export function useLiveReload(concerns: (e: LiveEvent) => boolean, reload: () => void, ms = 300): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = fleetEvents.subscribe((e) => {
      if (!concerns(e) && e.event !== "resync") return;
      timer ??= setTimeout(() => {
        timer = undefined;
        reload();
      }, ms);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [reload]);
}
