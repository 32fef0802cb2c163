import { request as httpRequest } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { beforeAll, expect, it } from "vitest";
import { COMPRESS_THRESHOLD } from "./compression.ts";
import { apiHarness } from "./testing/api-harness.ts";

describeWithRedis("API response compression (real Redis)", (redis) => {
  const api = apiHarness(redis.url);

  beforeAll(async () => {
    // Enough clusters that the matrix's JSON is well over the threshold.
    for (let i = 0; i < 40; i++) {
      const name = `cluster-${String(i).padStart(2, "0")}`;
      await api.store.clusters.register({
        name,
        server: `https://${name}:6443`,
        labels: { env: i % 2 === 0 ? "prod" : "dev", region: "eu-west-1" },
        mode: "agent",
      });
    }
  });

  const matrix = (acceptEncoding?: string) =>
    api.call("read", {
      method: "GET",
      url: "/api/v1/matrix",
      headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding },
    });

  it("compresses a JSON answer over 1 KiB with brotli or gzip, as accepted, to the same JSON", async () => {
    const plain = await matrix();
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(COMPRESS_THRESHOLD);
    const expected = { ...(plain.json() as object), generatedAt: expect.any(String) };

    const gzip = await matrix("gzip");
    expect(gzip.statusCode).toBe(200);
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(String(gzip.headers.vary)).toMatch(/accept-encoding/i);
    const gunzipped = gunzipSync(gzip.rawPayload);
    expect(gunzipped.length).toBeGreaterThan(gzip.rawPayload.length);
    expect(JSON.parse(gunzipped.toString("utf8"))).toEqual(expected);

    const br = await matrix("gzip, deflate, br, zstd");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString("utf8"))).toEqual(expected);

    const refused = await matrix("identity");
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(refused.json()).toEqual(expected);
  });

  it("leaves answers under 1 KiB as they are: a small matrix, an error, the dashboard's index page", async () => {
    const small = await api.call("read", {
      method: "GET",
      url: "/api/v1/matrix?cluster=cluster-00",
      headers: { "accept-encoding": "gzip" },
    });
    expect(small.statusCode).toBe(200);
    expect(small.rawPayload.length).toBeLessThan(COMPRESS_THRESHOLD);
    expect(small.headers["content-encoding"]).toBeUndefined();
    const refusal = await api.call("read", {
      method: "GET",
      url: "/api/v1/matrix?sync=Bogus",
      headers: { "accept-encoding": "gzip" },
    });
    expect(refusal.statusCode).toBe(400);
    expect(refusal.headers["content-encoding"]).toBeUndefined();
    expect(refusal.json()).toMatchObject({ field: "query.sync" });
    const page = await api.app.inject({ method: "GET", url: "/", headers: { "accept-encoding": "gzip" } });
    expect(String(page.headers["content-type"])).toMatch(/^text\/html/);
    expect(page.headers["content-encoding"]).toBeUndefined();
  });

  it("never compresses the event stream, so each event reaches the client as it is written", async () => {
    const url = new URL("/api/v1/events", api.url);
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      const req = httpRequest(
        url,
        { headers: { authorization: `Bearer ${api.tokens.read}`, "accept-encoding": "gzip, br" } },
        (res) => {
          resolve(res.headers);
          req.destroy();
        },
      );
      req.on("error", (error) => {
        if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
      });
      req.end();
    });
    expect(String(headers["content-type"])).toMatch(/^text\/event-stream/);
    expect(headers["content-encoding"]).toBeUndefined();
  });
});
