import { connect } from "node:net";

/** Where Argo CD's caches live: a host:port and a database number of their own. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
}

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

/**
 * Sends SELECT db and then `command` (plain RESP over a socket: the harness needs two commands, not a client
 * library) and resolves with the command's reply line: "+OK", ":42".
 */
function inDatabase(target: RedisTarget, command: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(target.port, target.host);
    let answer = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error(`Redis ${command[0]} timed out`)));
    socket.on("connect", () => socket.write(encode(["SELECT", String(target.db)]) + encode(command)));
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
      const lines = answer.split("\r\n");
      if (lines[0]?.startsWith("-")) socket.destroy(new Error(`Redis refused SELECT: ${lines[0]}`));
      else if (lines.length >= 3) {
        socket.end();
        const reply = lines[1] ?? "";
        if (reply.startsWith("-")) reject(new Error(`Redis refused ${command[0]}: ${reply}`));
        else resolve(reply);
      }
    });
    socket.on("error", reject);
  });
}

/** Empties the database, so a stopped harness leaves no cache keys and the next start sees a cold cache. */
export async function flushRedisDb(target: RedisTarget): Promise<void> {
  await inDatabase(target, ["FLUSHDB"]);
}

/** How many keys the database holds. */
export async function redisDbSize(target: RedisTarget): Promise<number> {
  return Number.parseInt((await inDatabase(target, ["DBSIZE"])).slice(1), 10);
}
