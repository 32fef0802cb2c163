import { useEffect, useState } from "preact/hooks";

const listeners = new Set<() => void>();

/** Moves to a dashboard URL without a reload (history routing: every page has a real, shareable URL). */
export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  for (const l of listeners) l();
}

addEventListener("popstate", () => {
  for (const l of listeners) l();
});

/** The current location, re-read on every navigation. */
export function useLocation(): { pathname: string; search: string } {
  const [loc, setLoc] = useState({ pathname: location.pathname, search: location.search });
  useEffect(() => {
    const update = () => setLoc({ pathname: location.pathname, search: location.search });
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return loc;
}
