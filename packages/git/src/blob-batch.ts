import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";

/** One answer of `git cat-file --batch`: an object's contents, or that the repository does not have it. */
export type BatchAnswer = { object: string; content: Buffer } | { object: string; missing: true };

const OBJECT_ID = /^[0-9a-f]{40,64}$/;

/**
 * Reads `git cat-file --batch` output as it arrives: `<id> <type> <size>\n<contents>\n` or `<id> missing\n` per
 * request, in request order. A large blob arrives in many chunks; they are joined once it is whole, not per chunk.
 */
export class BatchParser {
  #chunks: Buffer[] = [];
  #length = 0;
  #awaiting: { object: string; size: number } | undefined;

  push(chunk: Buffer): BatchAnswer[] {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    const answers: BatchAnswer[] = [];
    for (;;) {
      if (this.#awaiting === undefined) {
        const buffer = this.#joined();
        const end = buffer.indexOf(10);
        if (end < 0) break;
        const header = buffer.subarray(0, end).toString("utf8").split(" ");
        this.#consume(end + 1);
        const object = header[0] ?? "";
        if (header[1] === "missing") {
          answers.push({ object, missing: true });
          continue;
        }
        const size = Number(header[2]);
        if (header.length !== 3 || !Number.isSafeInteger(size) || size < 0) {
          throw new Error(`git cat-file --batch: unexpected header "${header.join(" ").slice(0, 200)}"`);
        }
        this.#awaiting = { object, size };
      }
      const { object, size } = this.#awaiting;
      if (this.#length < size + 1) break;
      const content = Buffer.from(this.#joined().subarray(0, size));
      this.#consume(size + 1);
      this.#awaiting = undefined;
      answers.push({ object, content });
    }
    return answers;
  }

  #joined(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0] ?? Buffer.alloc(0);
  }

  #consume(bytes: number): void {
    const rest = this.#joined().subarray(bytes);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#length = rest.length;
  }
}

export interface BlobBatchOptions {
  /** The repository (a bare mirror). */
  dir: string;
  /** The whole environment git runs with (the runner's isolated one). */
  env: Record<string, string>;
  /** An answer that takes longer than this kills the process; its reads fail and the next one starts anew. */
  timeoutMs: number;
  /** The process ends after this long without a read. @defaultValue 10000 */
  idleMs?: number;
  /**
   * Shared by the batches of one cache, so that a cycle touching a thousand repositories does not keep a thousand
   * processes alive: `take` before starting one (false: read the one-shot way instead), `give` when it ends.
   */
  slots?: BatchSlots;
  /** Called each time a process is started, for the cache's process count. */
  onSpawn?: () => void;
}

export interface BatchSlots {
  take(): boolean;
  give(): void;
}

/** At most `max` batch processes alive at once. */
export function batchSlots(max: number): BatchSlots {
  let live = 0;
  return {
    take: () => live < max && ++live > 0,
    give: () => {
      live = Math.max(0, live - 1);
    },
  };
}

interface Pending {
  object: string;
  resolve: (content: Buffer | undefined) => void;
  reject: (err: Error) => void;
}

/**
 * Reads blobs through one long-lived `git cat-file --batch` per repository rather than a process per blob: a
 * process costs tens of milliseconds to start on a busy machine (more from a large parent), and the first
 * generation of a fleet reads a blob per app. Started at the first read, ended after `idleMs` without one.
 */
export class BlobBatch {
  readonly #options: BlobBatchOptions;
  #child: ChildProcessWithoutNullStreams | undefined;
  #parser = new BatchParser();
  readonly #pending: Pending[] = [];
  #idle: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;

  constructor(options: BlobBatchOptions) {
    this.#options = options;
  }

  /** The blob's contents; undefined when the repository does not have it or no process may be started now. */
  read(object: string): Promise<Buffer | undefined> {
    if (!OBJECT_ID.test(object)) return Promise.reject(new Error(`not an object id: "${object.slice(0, 80)}"`));
    const child = this.#started();
    if (child === undefined) return Promise.resolve(undefined);
    clearTimeout(this.#idle);
    holdOpen(child, true);
    return new Promise((resolve, reject) => {
      this.#pending.push({ object, resolve, reject });
      this.#arm();
      child.stdin.write(`${object}\n`);
    });
  }

  /** Ends the process now; reads in flight fail. */
  close(): void {
    this.#child?.stdin.end();
    this.#child?.kill();
    this.#ended(new Error("git cat-file --batch closed"));
  }

  #started(): ChildProcessWithoutNullStreams | undefined {
    if (this.#child !== undefined) return this.#child;
    if (this.#options.slots?.take() === false) return undefined;
    const child = spawn("git", ["cat-file", "--batch"], { cwd: this.#options.dir, env: this.#options.env });
    this.#options.onSpawn?.();
    this.#child = child;
    this.#parser = new BatchParser();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.stdout.on("data", (chunk: Buffer) => {
      let answers: BatchAnswer[];
      try {
        answers = this.#parser.push(chunk);
      } catch (err) {
        child.kill();
        this.#ended(err as Error, child);
        return;
      }
      for (const answer of answers) this.#answer(answer);
    });
    child.on("error", (err) => this.#ended(err, child));
    child.on("close", (code, signal) => {
      this.#options.slots?.give();
      this.#ended(new Error(`git cat-file --batch ended (${signal ?? code}): ${stderr.trim()}`), child);
    });
    // A write to a process that has just died fails here too; its close says why.
    child.stdin.on("error", () => {});
    return child;
  }

  #answer(answer: BatchAnswer): void {
    const pending = this.#pending.shift();
    if (pending === undefined) return;
    if (pending.object !== answer.object) {
      pending.reject(new Error(`git cat-file --batch answered ${answer.object} for ${pending.object}`));
    } else {
      pending.resolve("missing" in answer ? undefined : answer.content);
    }
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    if (this.#pending.length > 0) this.#arm();
    else this.#rest();
  }

  #arm(): void {
    if (this.#watchdog !== undefined) return;
    this.#watchdog = setTimeout(() => {
      this.#child?.kill();
      this.#ended(new Error(`git cat-file --batch timed out after ${this.#options.timeoutMs} ms`));
    }, this.#options.timeoutMs);
  }

  /** Nothing pending: let the process go after a while, and keep no one waiting on it meanwhile. */
  #rest(): void {
    if (this.#child !== undefined) holdOpen(this.#child, false);
    this.#idle = setTimeout(() => this.close(), this.#options.idleMs ?? 10_000);
    this.#idle.unref();
  }

  #ended(err: Error, child?: ChildProcessWithoutNullStreams): void {
    if (child !== undefined && child !== this.#child) return;
    this.#child = undefined;
    clearTimeout(this.#watchdog);
    clearTimeout(this.#idle);
    this.#watchdog = undefined;
    for (const pending of this.#pending.splice(0)) pending.reject(err);
  }
}

/** Whether the process and its pipes keep Node running: while reads wait, yes; idle, a CLI must be free to exit. */
function holdOpen(child: ChildProcessWithoutNullStreams, hold: boolean): void {
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as { ref(): void; unref(): void }[]) {
    if (hold) handle.ref();
    else handle.unref();
  }
}
