import { accessSync, constants } from "node:fs";

/** Where Debian's chromium package puts the browser; FLOTILLA_CHROMIUM points elsewhere (a developer's Chrome). */
export const defaultChromiumPath = "/usr/bin/chromium";

export type ChromiumAvailability =
  | { available: true; path: string }
  | { available: false; path: string; reason: string };

/** The browser to drive: FLOTILLA_CHROMIUM when set, else Debian's chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env["FLOTILLA_CHROMIUM"]?.trim();
  return configured ? configured : defaultChromiumPath;
}

/** Whether the browser can be started here, and if not a sentence saying how to get it. */
export function chromiumAvailability(env: NodeJS.ProcessEnv = process.env): ChromiumAvailability {
  const path = chromiumPath(env);
  try {
    accessSync(path, constants.X_OK);
    return { available: true, path };
  } catch {
    return {
      available: false,
      path,
      reason: `no executable Chromium at ${path} (run scripts/testbed/chromium.sh, or set FLOTILLA_CHROMIUM to a Chromium or Chrome binary)`,
    };
  }
}
