import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

/** The repository's .flotilla/screenshots, where test and benchmark artifacts are kept (git-ignored). */
export const defaultScreenshotDir = resolve(
  fileURLToPath(new URL("../../../", import.meta.url)),
  ".flotilla/screenshots",
);

const screenshotName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface ScreenshotOptions {
  /** @defaultValue the repository's .flotilla/screenshots */
  dir?: string;
  /** The whole scrollable page rather than the viewport. @defaultValue false */
  fullPage?: boolean;
}

/**
 * The file a screenshot called `name` is written to. A name is one path segment (letters, digits, `.`, `_`, `-`),
 * so a test cannot write outside the screenshot folder.
 */
export function screenshotPath(name: string, dir: string = defaultScreenshotDir): string {
  if (!screenshotName.test(name) || name.includes("..")) {
    throw new Error(
      `screenshot name ${JSON.stringify(name)}: expected 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit (no "/" or "..")`,
    );
  }
  return join(dir, `${name}.png`);
}

/** Writes a PNG of the page to <dir>/<name>.png and returns that path. */
export async function saveScreenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<string> {
  const dir = options.dir ?? defaultScreenshotDir;
  const path = screenshotPath(name, dir);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path, fullPage: options.fullPage ?? false, type: "png" });
  return path;
}
