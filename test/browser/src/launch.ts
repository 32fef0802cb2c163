import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { chromiumPath } from "./chromium.ts";

/**
 * The only switches the browser gets (besides its profile folder and Playwright's pipe): headless, no sandbox (the
 * tests run as root in containers), and nothing that reaches the network on its own (QUIC, sync, component and
 * background updates), so a run measures and talks to the page under test only.
 */
export const chromiumFlags: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface LaunchBrowserOptions {
  /** The browser binary. @defaultValue FLOTILLA_CHROMIUM, else /usr/bin/chromium */
  executablePath?: string;
  /** How long the browser may take to start. @defaultValue 60 000 ms (a shared 2-core machine) */
  timeoutMs?: number;
}

export interface LaunchedBrowser {
  browser: Browser;
  /** The fresh, empty profile folder the browser was started with; removed by close(). */
  userDataDir: string;
  /** Closes the browser and removes its profile folder; safe to call twice. */
  close(): Promise<void>;
}

/** Starts headless Chromium with exactly chromiumFlags and a new empty profile. */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = options.executablePath ?? chromiumPath();
  const userDataDir = await mkdtemp(join(tmpdir(), "flotilla-chromium-"));
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      // Playwright's own defaults add some twenty switches; ours are the whole list. The pipe is how Playwright
      // talks to the browser, and the profile is passed here because Playwright refuses it in `args` otherwise.
      ignoreDefaultArgs: true,
      args: [...chromiumFlags, `--user-data-dir=${userDataDir}`, "--remote-debugging-pipe"],
      timeout: options.timeoutMs ?? 60_000,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw new Error(`could not start Chromium at ${executablePath}`, { cause: error });
  }
  let closed: Promise<void> | undefined;
  return {
    browser,
    userDataDir,
    close() {
      closed ??= (async () => {
        try {
          await browser.close();
        } finally {
          await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
        }
      })();
      return closed;
    },
  };
}
