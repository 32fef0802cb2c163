import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** A repository served over Git's smart HTTP protocol on loopback, read-only. */
export interface GitHttpServer {
  /** Clone URL: http://127.0.0.1:PORT/fleet.git */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the repository in `repoDir` (a work tree with .git, as TestGitRepo makes) through `git http-backend`,
 * the CGI program git ships: the same protocol a Git host speaks, so Argo CD's repo-server (git and go-git) and
 * Flotilla read it as they would a remote. Pushes are refused.
 */
export async function serveGitOverHttp(repoDir: string): Promise<GitHttpServer> {
  const server = createServer((req, res) => {
    handle(repoDir, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fleet.git`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function handle(repoDir: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://loopback");
  const rest = url.pathname.startsWith("/fleet.git/") ? url.pathname.slice("/fleet.git".length) : undefined;
  if (rest === undefined || rest.includes("..") || url.searchParams.get("service") === "git-receive-pack") {
    res.writeHead(rest === undefined ? 404 : 403).end();
    return;
  }
  if (rest === "/git-receive-pack") {
    res.writeHead(403).end();
    return;
  }
  const cgi = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env["PATH"] ?? "",
      GIT_PROJECT_ROOT: join(repoDir, ".git"),
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      PATH_INFO: rest,
      REQUEST_METHOD: req.method ?? "GET",
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      REMOTE_ADDR: "127.0.0.1",
    },
    stdio: ["pipe", "pipe", "ignore"],
  });
  req.pipe(cgi.stdin);
  cgi.stdin.on("error", () => {});
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  });
  cgi.on("close", () => {
    if (!headersDone) res.writeHead(500);
    res.end();
  });
  cgi.on("error", () => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
}
