import { createConnection, createServer, type Socket } from "node:net";

export interface TcpForwardOptions {
  /** Port to listen on (127.0.0.1); 0 picks one. */
  port: number;
  to: { host: string; port: number };
}

export interface TcpForward {
  readonly port: number;
  /** Stops listening and cuts every forwarded connection (the service behind seems to vanish). */
  close(): Promise<void>;
}

/**
 * Makes a real server (the bed's Redis) appear on a chosen port, and disappear again: a process started against
 * that port while nothing listens sees what it would see before its Redis is up.
 */
export async function forwardTcp(options: TcpForwardOptions): Promise<TcpForward> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(options.to);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: options.port }, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
