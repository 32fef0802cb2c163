import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../manifests.ts";
import type { GeneratedApp } from "./generated-app.ts";

/** The corpus's stand-ins, replaced by the real repository URL and API server URLs at test time. */
export const corpusRepoUrl = "http://git.fleet.test/fleet.git";
export const corpusServerUrl = (cluster: string) => `https://${cluster}.cluster.test`;

export const corpusDir = fileURLToPath(new URL("../../conformance/", import.meta.url));

export interface ConformanceCase {
  name: string;
  /** The case file's text, placeholders filled in: what both systems are given. */
  text: string;
  appSet: KubeObject;
  expected: GeneratedApp[];
}

export interface CorpusBindings {
  repoUrl: string;
  /** Cluster name → API server URL. */
  servers: ReadonlyMap<string, string>;
}

/** Fills in a case's placeholders. Pure. */
export function bindCase(text: string, bindings: CorpusBindings): string {
  let out = text.replaceAll(corpusRepoUrl, bindings.repoUrl);
  for (const [name, server] of bindings.servers) out = out.replaceAll(corpusServerUrl(name), server);
  return out;
}

/** Parses one case: the ApplicationSet, then a document with `expected:`. Throws naming the file and what is wrong. */
export function parseCase(file: string, text: string): Omit<ConformanceCase, "name" | "text"> {
  const docs = parseAllDocuments(text);
  for (const doc of docs) {
    const [error] = doc.errors;
    if (error) throw new Error(`${file}:${error.linePos?.[0]?.line}:${error.linePos?.[0]?.col}: ${error.message}`);
  }
  const [appSet, rest] = docs.map((d) => d.toJSON() as Record<string, unknown> | null);
  if (appSet?.["kind"] !== "ApplicationSet") throw new Error(`${file}: the first document must be the ApplicationSet`);
  const expected = rest?.["expected"];
  if (!Array.isArray(expected)) throw new Error(`${file}: the second document must hold expected: [Applications]`);
  return { appSet: appSet as KubeObject, expected: expected as GeneratedApp[] };
}

/** Every case of the corpus, bound. */
export function loadCorpus(bindings: CorpusBindings): ConformanceCase[] {
  const dir = join(corpusDir, "cases");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const text = bindCase(readFileSync(join(dir, f), "utf8"), bindings);
      return { name: basename(f, ".yaml"), text, ...parseCase(join("cases", f), text) };
    });
}
