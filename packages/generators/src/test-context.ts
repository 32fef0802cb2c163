import type { Cluster } from "@flotilla/core";
import type { GeneratorContext } from "./generator.ts";
import { type MemoryRepo, MemoryRepoReader } from "./testing/memory-repo.ts";

export const REPO = "https://git.example/fleet.git";

export function cluster(
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): Cluster {
  return { name, server: `https://${name}.example:6443`, labels, annotations };
}

export function context(
  init: { clusters?: Cluster[]; files?: Record<string, string>; repos?: Record<string, MemoryRepo> } = {},
): GeneratorContext & { repos: MemoryRepoReader } {
  const repos = init.repos ?? { [REPO]: { files: init.files ?? {}, refs: ["main"] } };
  return { appSet: "test", clusters: init.clusters ?? [], repos: new MemoryRepoReader(repos) };
}

/** Params as plain objects, so that `toEqual` compares them against literals. */
export function plain(list: readonly object[]): Record<string, unknown>[] {
  return list.map((p) => ({ ...p }));
}
