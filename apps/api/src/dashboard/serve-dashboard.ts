import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import type { FastifyPluginAsync, FastifyReply } from "fastify";

export interface DashboardRouteOptions {
  /** The dashboard's build output (index.html and assets/). */
  dir: string;
  /** Page path prefixes of the dashboard's router: each serves index.html so a shared URL loads. */
  pagePrefixes: readonly string[];
  /** Shown when the build is missing, so an operator knows how to make it. */
  buildCommand: string;
}

const TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
};

/** Vite names every asset by its content hash, flat under assets/: nothing else is served from there. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

// The dashboard loads only its own script and styles and talks only to this API.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

const hidden = { schema: { hide: true }, logLevel: "warn" as const };

/**
 * The built dashboard at `/`: index.html (never cached, so a new build is picked up at once) for `/` and every
 * page path, hashed assets cached for a year. Public like the probes: the page holds no data; every API call it
 * makes carries the token the person signs in with. Without a build, a 503 page says how to make one.
 */
export function dashboardRoutes(options: DashboardRouteOptions): FastifyPluginAsync {
  const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flotilla: dashboard not built</title></head>
<body><h1>The dashboard is not built</h1><p>This API serves the dashboard from its build output, which is missing.
Build it with <code>${options.buildCommand}</code> (or <code>pnpm run build</code>; <code>scripts/setup.sh</code> does it), then reload.</p>
<p>The API itself is up: <a href="/openapi.json">/openapi.json</a>, <a href="/healthz">/healthz</a>.</p></body></html>
`;
  const index = async (_req: unknown, reply: FastifyReply) => {
    reply.header("cache-control", "no-cache").header("x-content-type-options", "nosniff");
    let html: Buffer;
    try {
      html = await readFile(join(options.dir, "index.html"));
    } catch {
      return reply.code(503).type("text/html; charset=utf-8").send(notBuilt);
    }
    return reply
      .type("text/html; charset=utf-8")
      .header("content-security-policy", CSP)
      .header("x-frame-options", "DENY")
      .header("referrer-policy", "no-referrer")
      .send(html);
  };
  return async (app) => {
    app.get("/", hidden, index);
    for (const prefix of options.pagePrefixes) app.get(`${prefix}*`, hidden, index);
    app.get<{ Params: { "*": string } }>("/assets/*", hidden, async (request, reply) => {
      const name = request.params["*"];
      const type = TYPES[extname(name)];
      if (!ASSET_NAME.test(name) || name.includes("..") || type === undefined) {
        return reply.code(404).send({ error: "NotFound", message: `no dashboard asset ${name}` });
      }
      let body: Buffer;
      try {
        body = await readFile(join(options.dir, "assets", name));
      } catch {
        return reply.code(404).send({ error: "NotFound", message: `no dashboard asset ${name}` });
      }
      return reply
        .type(type)
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("x-content-type-options", "nosniff")
        .send(body);
    });
  };
}
