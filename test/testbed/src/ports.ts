import { createServer } from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. The kernel may hand it out again before the caller binds
 * it, so callers that spawn servers on it must treat "address in use" as a retryable start failure.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not read the port of a listening socket"));
      });
    });
  });
}
