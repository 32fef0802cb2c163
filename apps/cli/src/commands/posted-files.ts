import { invalid } from "../context.ts";

/** ApplicationSet files read for the API, each named as the user wrote its path (the API's messages use it). */
export async function readPostedFiles(
  paths: readonly string[],
  readFile: (path: string) => Promise<string>,
): Promise<{ name: string; content: string }[]> {
  const files: { name: string; content: string }[] = [];
  for (const path of paths) {
    try {
      files.push({ name: path, content: await readFile(path) });
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
      throw invalid(`${path}: cannot read file: ${reason}`);
    }
  }
  return files;
}
