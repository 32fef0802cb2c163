import type { Application } from "@flotilla/core";
import type { FleetRepo } from "../ports.ts";
import type { PreparedSource, SourceCycle, SourcePreparer } from "../sources.ts";

// The cycle's own seams for tests against real Redis: the fleet (Git is tested against real repositories
// elsewhere) and source rendering.

/** Fleet commits in memory: `c0`, `c1`, … in the order pushed. */
export class MemoryFleet implements FleetRepo {
  commits: Record<string, string>[] = [];
  down = false;
  async resolve() {
    if (this.down) throw new Error("unreachable: connection refused");
    return `c${this.commits.length - 1}`;
  }
  async listFiles(commit: string) {
    return Object.keys(this.at(commit));
  }
  async readFile(commit: string, path: string) {
    const text = this.at(commit)[path];
    if (text === undefined) throw new Error(`no file ${path}`);
    return text;
  }
  push(files: Record<string, string>) {
    this.commits.push(files);
  }
  private at(commit: string) {
    return this.commits[Number(commit.slice(1))]!;
  }
}

/** Sources by branch: each app's bundle digest is derived from the branch's commit, unless a test says otherwise. */
export class FakeSources implements SourcePreparer {
  head = "a".repeat(40);
  /** What every source renders to; by default it changes with the commit. */
  output: string | undefined;
  /** Application name → what preparing it comes to instead. */
  override = new Map<string, PreparedSource>();
  prepared = 0;
  cycle(): SourceCycle {
    return {
      resolve: async () => this.head,
      prepare: async (app: Application) => {
        this.prepared++;
        const instead = this.override.get(app.metadata.name);
        if (instead) return instead;
        const bundle = `sha256:${(this.output ?? this.head).slice(0, 8).repeat(8)}`;
        return { kind: "ready", source: { commit: this.head, bundle } };
      },
    };
  }
}
