import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chromiumFlags, launchBrowser } from "./launch.ts";
import { saveScreenshot } from "./screenshot.ts";
import { describeWithBrowser } from "./vitest.ts";

// A page whose content only exists once its script ran, so the test proves JavaScript executes in the browser.
const page = `<!doctype html><html><head><title>flotilla browser test</title></head><body>
<ul id="list" data-ready="false"></ul><button type="button">Add</button>
<script>
  const list = document.getElementById("list");
  fetch("/items.json").then((r) => r.json()).then((items) => {
    for (const item of items) { const li = document.createElement("li"); li.textContent = item; list.append(li); }
    list.dataset.ready = "true";
  });
  document.querySelector("button").addEventListener("click", () => {
    const li = document.createElement("li"); li.textContent = "added"; list.append(li);
  });
</script></body></html>`;

/** The command line of the browser's main process (the one without --type), found by its profile folder. */
async function browserCommandLine(userDataDir: string): Promise<string[] | undefined> {
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = await readFile(`/proc/${pid}/cmdline`, "utf8").then(
      (text) => text.split("\0").filter((arg) => arg !== ""),
      (): string[] => [],
    );
    if (argv.includes(`--user-data-dir=${userDataDir}`) && !argv.some((arg) => arg.startsWith("--type="))) return argv;
  }
  return undefined;
}

describeWithBrowser("headless Chromium against a page on loopback", (session) => {
  let server: Server;
  let base: string;
  let requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      if (request.url === "/items.json") {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(["alpha", "beta"]));
      } else if (request.url === "/") {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("renders the page, runs its script, fetches its data and takes clicks", async () => {
    requests = [];
    const tab = await session.newPage();
    await tab.goto(`${base}/`);
    await tab.locator("#list[data-ready=true]").waitFor({ timeout: 30_000 });
    expect(await tab.title()).toBe("flotilla browser test");
    expect(await tab.locator("#list li").allTextContents()).toEqual(["alpha", "beta"]);
    await tab.getByRole("button", { name: "Add" }).click();
    await expect.poll(() => tab.locator("#list li").allTextContents()).toEqual(["alpha", "beta", "added"]);
    expect(requests).toEqual(expect.arrayContaining(["/", "/items.json"]));
  });

  it("gives each page its own context: session storage does not leak between pages", async () => {
    const first = await session.newPage();
    await first.goto(`${base}/`);
    await first.evaluate(() => sessionStorage.setItem("token", "secret"));
    const second = await session.newPage();
    await second.goto(`${base}/`);
    expect(await second.evaluate(() => sessionStorage.getItem("token"))).toBeNull();
    expect(await first.evaluate(() => sessionStorage.getItem("token"))).toBe("secret");
  });

  it("writes a PNG screenshot and returns its path", async () => {
    const tab = await session.newPage({ viewport: { width: 640, height: 360 } });
    await tab.goto(`${base}/`);
    await tab.locator("#list[data-ready=true]").waitFor({ timeout: 30_000 });
    const dir = join(tmpdir(), `flotilla-screenshots-${process.pid}`);
    try {
      const path = await saveScreenshot(tab, "browser-self-test", { dir });
      expect(path).toBe(join(dir, "browser-self-test.png"));
      const png = await readFile(path);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      // IHDR carries the width and height: the viewport asked for.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640, 360]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describeWithBrowser("launchBrowser", () => {
  it("starts the browser with exactly the listed flags and a fresh profile, removed at close", async () => {
    const launched = await launchBrowser();
    try {
      expect(await readdir(launched.userDataDir)).not.toContain("First Run");
      const argv = await browserCommandLine(launched.userDataDir);
      // Debian's /usr/bin/chromium is a wrapper script: it execs the real binary with the distribution's defaults
      // from /etc/chromium.d first and the caller's switches last, unchanged and in order.
      expect(argv?.[0]).toMatch(/chromium|chrome/);
      expect(argv?.slice(-(chromiumFlags.length + 2))).toEqual([
        ...chromiumFlags,
        `--user-data-dir=${launched.userDataDir}`,
        "--remote-debugging-pipe",
      ]);
      expect(chromiumFlags).toEqual([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ]);
    } finally {
      await launched.close();
    }
    expect(existsSync(launched.userDataDir)).toBe(false);
    expect(launched.browser.isConnected()).toBe(false);
    await launched.close();
  });

  it("names the binary when it cannot start", async () => {
    await expect(launchBrowser({ executablePath: "/nonexistent/chromium" })).rejects.toThrow(
      "could not start Chromium at /nonexistent/chromium",
    );
  });
});
