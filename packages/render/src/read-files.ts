import type { RepoReader } from "@flotilla/core";
import { isFileTooLargeError } from "@flotilla/git";
import { RenderError } from "./errors/render-error.ts";
import type { RenderLimits } from "./options.ts";

export interface SourceFile {
  path: string;
  text: string;
}

/**
 * Reads files at a commit with bounded concurrency, within the file-count and byte budgets of one render.
 * Results come back in the order asked, so errors and output do not depend on which read finished first.
 */
export async function readFiles(
  reader: RepoReader,
  repoURL: string,
  commit: string,
  paths: readonly string[],
  limits: RenderLimits,
): Promise<SourceFile[]> {
  if (paths.length > limits.maxFiles) {
    throw new RenderError({
      failure: "TooLarge",
      reason: `the source has ${paths.length} files to read; at most ${limits.maxFiles} are allowed`,
    });
  }
  const out: SourceFile[] = new Array(paths.length);
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i]!;
      let text: string;
      try {
        text = await reader.readFile(repoURL, commit, path);
      } catch (err) {
        // A file over the size limit is the commit's doing, not an outage: reading it again cannot succeed, and
        // as a "ReadFailed" (transient) it was retried forever with nothing shown.
        const failure = isFileTooLargeError(err) ? "TooLarge" : "ReadFailed";
        throw new RenderError({ failure, file: path, reason: (err as Error).message, cause: err });
      }
      bytes += text.length;
      if (bytes > limits.maxSourceBytes) {
        throw new RenderError({
          failure: "TooLarge",
          file: path,
          reason: `the source is larger than ${limits.maxSourceBytes} bytes`,
        });
      }
      out[i] = { path, text };
    }
  };
  const workers = Array.from({ length: Math.min(limits.readConcurrency, paths.length) }, worker);
  await Promise.all(workers);
  return out;
}
