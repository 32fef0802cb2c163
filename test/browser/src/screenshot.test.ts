import { describe, expect, it } from "vitest";
import { chromiumPath, defaultChromiumPath } from "./chromium.ts";
import { defaultScreenshotDir, screenshotPath } from "./screenshot.ts";

describe("screenshotPath", () => {
  it("puts <name>.png in the screenshot folder", () => {
    expect(screenshotPath("fleet-matrix", "/tmp/shots")).toBe("/tmp/shots/fleet-matrix.png");
    expect(screenshotPath("app_page.dark-1", "/tmp/shots")).toBe("/tmp/shots/app_page.dark-1.png");
  });

  it("defaults to the repository's .flotilla/screenshots", () => {
    expect(defaultScreenshotDir.endsWith("/.flotilla/screenshots")).toBe(true);
    expect(screenshotPath("x")).toBe(`${defaultScreenshotDir}/x.png`);
  });

  it.each([
    ["", "empty"],
    ["../escape", "parent segment"],
    ["a/b", "slash"],
    ["a..b", "dots that could form a parent"],
    [".hidden", "leading dot"],
    ["/etc/passwd", "absolute"],
    ["a b", "space"],
    ["x".repeat(101), "too long"],
    ["name\u0000", "NUL"],
  ])("refuses %j (%s), naming what it expected", (name) => {
    expect(() => screenshotPath(name, "/tmp/shots")).toThrow(/screenshot name .*expected 1-100 letters, digits/);
  });
});

describe("chromiumPath", () => {
  it("is Debian's chromium unless FLOTILLA_CHROMIUM says otherwise", () => {
    expect(chromiumPath({})).toBe(defaultChromiumPath);
    expect(chromiumPath({ FLOTILLA_CHROMIUM: "  " })).toBe("/usr/bin/chromium");
    expect(chromiumPath({ FLOTILLA_CHROMIUM: "/opt/chrome/chrome" })).toBe("/opt/chrome/chrome");
  });
});
