import { runningInCi } from "@flotilla/testbed";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { chromiumAvailability } from "./chromium.ts";
import { type LaunchedBrowser, launchBrowser } from "./launch.ts";

/** What a describeWithBrowser block is given: one browser for the whole block, a fresh context per page. */
export interface BrowserSession {
  /** The running browser; usable from the block's own beforeAll hooks and tests on. */
  readonly browser: Browser;
  /** A page in a new context (its own cookies and session storage), closed when the block ends. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * A describe block given a headless Chromium started once for the block (in its first beforeAll) and closed after
 * its last afterAll. Without Chromium the block fails in CI (CI=true) and is skipped elsewhere, under a name and a
 * printed line saying why, like the test bed's describeWithClusters.
 */
export function describeWithBrowser(name: string, body: (session: BrowserSession) => void): void {
  const availability = chromiumAvailability();
  if (!availability.available) {
    if (runningInCi()) throw new Error(`${name}: Chromium unavailable in CI: ${availability.reason}`);
    console.warn(`skipping "${name}": ${availability.reason}`);
    describe.skip(name, () => {
      it(`SKIPPED, Chromium unavailable: ${availability.reason}`, () => {});
    });
    return;
  }
  describe(name, () => {
    let launched: LaunchedBrowser | undefined;
    const contexts: BrowserContext[] = [];
    const session: BrowserSession = {
      get browser() {
        if (!launched) throw new Error(`${name}: the browser is not started yet (use it from a hook or a test)`);
        return launched.browser;
      },
      async newPage(options) {
        const context = await session.browser.newContext(options);
        contexts.push(context);
        return context.newPage();
      },
    };
    // Registered before the body's hooks: vitest runs beforeAll in order and afterAll in reverse, so the browser
    // is up before the block's own set-up and closed after its own tear-down.
    beforeAll(async () => {
      launched = await launchBrowser({ executablePath: availability.path });
    });
    afterAll(async () => {
      await Promise.allSettled(contexts.map((context) => context.close()));
      await launched?.close();
    });
    body(session);
  });
}
