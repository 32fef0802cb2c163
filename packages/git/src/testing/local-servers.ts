import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import { join, normalize } from "node:path";

// Test servers listen on loopback only.
const LOOPBACK = "127.0.0.1";

export interface LocalServer {
  url: string;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no port");
  return address.port;
}

/** Accepts TCP connections and never says a word: the shape of a hung Git server. */
export async function silentTcpServer(): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  const port = await listen(server);
  return {
    url: `http://${LOOPBACK}:${port}/fleet.git`,
    requests: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Serves a bare repository over git's "dumb" HTTP protocol (static files), answering 401 unless the request
 * carries `expectedAuthorization`. Lets tests check that a token really travels, without a Git server binary.
 * Without `expectedAuthorization` it serves anyone: a public fleet repository (`git update-server-info` first).
 */
export async function dumbHttpGitServer(bareRepo: string, expectedAuthorization?: string): Promise<LocalServer> {
  const requests: IncomingMessage[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(req);
    if (req.headers.authorization !== expectedAuthorization) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="fleet"' }).end();
      return;
    }
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(
      /^\/fleet\.git/,
      "",
    );
    const file = join(bareRepo, path);
    if (!file.startsWith(bareRepo) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  const port = await listen(server);
  return {
    url: `http://${LOOPBACK}:${port}/fleet.git`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A hostile smart-HTTP server that echoes the request's Authorization header and a credential-bearing URL back
 * as a protocol error, which git prints to stderr verbatim.
 */
export async function echoingGitServer(): Promise<LocalServer> {
  const requests: IncomingMessage[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(req);
    const message = `ERR echo ${req.headers.authorization ?? "none"} from https://bot:s3cr3t-token@git.example/x\n`;
    const packet = (message.length + 4).toString(16).padStart(4, "0") + message;
    res.writeHead(200, { "content-type": "application/x-git-upload-pack-advertisement" }).end(packet);
  });
  const port = await listen(server);
  return {
    url: `http://${LOOPBACK}:${port}/fleet.git`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
