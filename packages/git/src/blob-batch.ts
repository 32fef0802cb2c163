import { isFullCommitId } from "./validate.ts";

/** One answer of `git cat-file --batch`: an object's contents, or that the repository does not have it. */
export type BatchAnswer = { object: string; content: Buffer } | { object: string; missing: true };

/**
 * Parses `git cat-file --batch` output: `<id> <type> <size>\n<contents>\n` or `<id> missing\n` per request, in
 * request order. Sizes count bytes, so it works on bytes, not text.
 */
export function parseBatch(output: Buffer): BatchAnswer[] {
  const answers: BatchAnswer[] = [];
  let at = 0;
  while (at < output.length) {
    const end = output.indexOf(10, at);
    if (end < 0) throw new Error(`git cat-file --batch: output ends inside a header`);
    const header = output.subarray(at, end).toString("utf8").split(" ");
    at = end + 1;
    const object = header[0] ?? "";
    if (header.length === 2 && header[1] === "missing") {
      answers.push({ object, missing: true });
      continue;
    }
    const size = Number(header[2]);
    if (header.length !== 3 || !isFullCommitId(object) || !Number.isSafeInteger(size) || size < 0) {
      throw new Error(`git cat-file --batch: unexpected header "${header.join(" ").slice(0, 200)}"`);
    }
    if (at + size + 1 > output.length) throw new Error(`git cat-file --batch: ${object} is cut short`);
    answers.push({ object, content: output.subarray(at, at + size) });
    at += size + 1;
  }
  return answers;
}

/** Runs `git cat-file --batch` with these object ids on its stdin and returns its stdout. */
export type BatchRunner = (objects: readonly string[]) => Promise<Buffer>;

interface Pending {
  resolve: (content: Buffer | undefined) => void;
  reject: (err: Error) => void;
}

/**
 * Reads blobs asked for in the same turn of the event loop through one `git cat-file --batch` process instead of
 * a process each: a render reads its files concurrently, and the first generation of a fleet reads a blob per app,
 * where each process costs tens of milliseconds on a busy machine. The process is handed its whole list and ends
 * by itself, like any other git command, so nothing outlives the reads that started it.
 */
export class BlobBatcher {
  readonly #run: BatchRunner;
  readonly #maxPerProcess: number;
  #queued = new Map<string, Pending[]>();
  #scheduled = false;

  constructor(run: BatchRunner, maxPerProcess = 256) {
    this.#run = run;
    this.#maxPerProcess = maxPerProcess;
  }

  /** The blob's contents; undefined when the repository does not have it. Rejects when the process failed. */
  read(object: string): Promise<Buffer | undefined> {
    if (!isFullCommitId(object)) return Promise.reject(new Error(`not an object id: "${object.slice(0, 80)}"`));
    return new Promise((resolve, reject) => {
      const waiting = this.#queued.get(object);
      if (waiting) waiting.push({ resolve, reject });
      else this.#queued.set(object, [{ resolve, reject }]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const queued = [...this.#queued];
    this.#queued = new Map();
    for (let i = 0; i < queued.length; i += this.#maxPerProcess) {
      void this.#answer(new Map(queued.slice(i, i + this.#maxPerProcess)));
    }
  }

  async #answer(batch: Map<string, Pending[]>): Promise<void> {
    let answers: BatchAnswer[];
    try {
      answers = parseBatch(await this.#run([...batch.keys()]));
    } catch (err) {
      for (const waiting of batch.values()) for (const p of waiting) p.reject(err as Error);
      return;
    }
    for (const answer of answers) {
      const content = "missing" in answer ? undefined : answer.content;
      for (const p of batch.get(answer.object) ?? []) p.resolve(content);
      batch.delete(answer.object);
    }
    // An id git did not answer for at all (it should not happen) is not guessed at.
    const unanswered = new Error("git cat-file --batch gave no answer for this object");
    for (const waiting of batch.values()) for (const p of waiting) p.reject(unanswered);
  }
}
