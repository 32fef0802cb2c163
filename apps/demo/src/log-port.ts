import { readFileSync } from "node:fs";

/**
 * The port a service logged in the first line with `message`, once it has: services listen on a port the kernel
 * picks (port 0), so no other process can take it between choosing and binding.
 */
export function loggedPort(logFile: string, message: string): number | undefined {
  let log: string;
  try {
    log = readFileSync(logFile, "utf8");
  } catch {
    return undefined;
  }
  const quoted = JSON.stringify(message);
  for (const line of log.split("\n")) {
    if (!line.includes(quoted)) continue;
    try {
      const port = (JSON.parse(line) as { port?: unknown }).port;
      if (typeof port === "number") return port;
    } catch {
      // a line cut short while it is being written: read it again on the next poll
    }
  }
  return undefined;
}
