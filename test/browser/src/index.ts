// Headless Chromium for the dashboard's tests and benchmark. The vitest helper lives in "@flotilla/browser/vitest"
// so that the benchmark can launch a browser without loading vitest.
export {
  type ChromiumAvailability,
  chromiumAvailability,
  chromiumPath,
  defaultChromiumPath,
} from "./chromium.ts";
export { chromiumFlags, type LaunchBrowserOptions, type LaunchedBrowser, launchBrowser } from "./launch.ts";
export { defaultScreenshotDir, type ScreenshotOptions, saveScreenshot, screenshotPath } from "./screenshot.ts";
