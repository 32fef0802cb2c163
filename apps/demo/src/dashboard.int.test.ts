import { createServer, type Server } from "node:http";
import { freePort } from "@flotilla/testbed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardUrl } from "./dashboard.ts";

// The demo prints `dashboard: URL` only when the API really serves an HTML page at `/`: a real HTTP server on
// loopback answers as an API with and without a dashboard would.
describe("the demo's dashboard line", () => {
  let server: Server;
  let base: string;
  let answer: { status: number; type: string; body: string } = { status: 200, type: "text/html", body: "" };
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { "content-type": answer.type });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    [
      "an HTML page",
      { status: 200, type: "text/html; charset=utf-8", body: "<!doctype html><title>Flotilla</title>" },
      true,
    ],
    [
      "no route at / (the API without a dashboard)",
      { status: 404, type: "application/json", body: '{"error":"x"}' },
      false,
    ],
    ["JSON at /", { status: 200, type: "application/json", body: "{}" }, false],
    ["a token demanded", { status: 401, type: "text/html", body: "<p>no</p>" }, false],
    ["a server error", { status: 500, type: "text/html", body: "<p>oops</p>" }, false],
  ])("%s → %s", async (_name, given, shown) => {
    answer = given;
    expect(await dashboardUrl(base)).toBe(shown ? `${base}/` : undefined);
  });

  it("nothing listening → no line", async () => {
    expect(await dashboardUrl(`http://127.0.0.1:${await freePort()}`)).toBeUndefined();
  });
});
