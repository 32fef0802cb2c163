import { invalid } from "../../context.ts";

export interface InputFile {
  /** As the user wrote it; `-` is stdin. Messages name the file so. */
  file: string;
  text: string;
}

/** Reads every FILE argument, `-` from stdin (once); a file that cannot be read is bad input (exit 2). */
export async function readInputs(
  paths: readonly string[],
  io: { readFile(path: string): Promise<string>; readStdin(): Promise<string> },
): Promise<InputFile[]> {
  if (paths.filter((p) => p === "-").length > 1) throw invalid("- (stdin) can be given once");
  const out: InputFile[] = [];
  for (const file of paths) {
    try {
      out.push({ file, text: file === "-" ? await io.readStdin() : await io.readFile(file) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message;
      throw invalid(`${file}: cannot read file: ${reason}`);
    }
  }
  return out;
}
