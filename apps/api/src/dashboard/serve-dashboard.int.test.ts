import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardRoutes } from "./serve-dashboard.ts";

// The static routes on a real Fastify over a real directory: no Redis, no clusters, a fraction of a second.
const PAGE_PREFIXES = ["/applications/", "/appsets/", "/clusters/"];
const BUILD = "pnpm --filter @flotilla/dashboard build";

async function serve(dir: string): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(dashboardRoutes({ dir, pagePrefixes: PAGE_PREFIXES, buildCommand: BUILD }));
  app.get("/api/v1/thing", async () => ({ ok: true }));
  return app;
}

describe("the dashboard's static routes", () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "flotilla-dash-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>Flotilla</title>");
    writeFileSync(join(dir, "assets", "index-abc123.js"), "console.log(1)");
    writeFileSync(join(dir, "assets", "index-abc123.css"), "body{}");
    writeFileSync(join(dir, "secret.txt"), "not served");
    app = await serve(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves index.html at / with no caching and a strict content security policy", async () => {
    const res = await app.inject({ url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe("<!doctype html><title>Flotilla</title>");
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["x-frame-options"]).toBe("DENY");
  });

  it.each(["/applications/dev/guestbook-dev?appset=guestbook", "/appsets/guestbook", "/clusters/eu-1"])(
    "falls back to index.html for the page %s",
    async (url) => {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain("<title>Flotilla</title>");
    },
  );

  it("serves hashed assets with their type, cached for a year", async () => {
    const js = await app.inject({ url: "/assets/index-abc123.js" });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe("console.log(1)");
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const css = await app.inject({ url: "/assets/index-abc123.css" });
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
  });

  it.each([
    "/assets/missing-000.js",
    "/assets/../secret.txt",
    "/assets/..%2Fsecret.txt",
    "/assets/%2e%2e/secret.txt",
    "/assets/sub/dir.js",
    "/assets/index-abc123.js%00.css",
    "/assets/.hidden.js",
    "/assets/index.html",
  ])("refuses %s with a 404 and never another file", async (url) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain("not served");
  });

  it("leaves other routes alone", async () => {
    expect((await app.inject({ url: "/api/v1/thing" })).json()).toEqual({ ok: true });
    expect((await app.inject({ url: "/elsewhere" })).statusCode).toBe(404);
  });

  it("without a build, answers 503 with a page saying how to build it", async () => {
    const empty = await serve(join(dir, "no-such-dist"));
    try {
      for (const url of ["/", "/appsets/guestbook"]) {
        const res = await empty.inject({ url });
        expect(res.statusCode).toBe(503);
        expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
        expect(res.body).toContain(BUILD);
      }
    } finally {
      await empty.close();
    }
  });
});
