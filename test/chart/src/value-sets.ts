import { join } from "node:path";
import { valuesDir } from "./helm.ts";
import type { DataSources } from "./pod-environment.ts";

/** One of the value sets the chart is proven with (files in test/chart/values). */
export interface ValueSet {
  name: string;
  file: string;
  /** Sample contents of the Secrets the set names as existing, for reading the rendered configuration. */
  existing: DataSources;
}

const key = Buffer.alloc(32, 7).toString("base64");

function set(name: string, existing: DataSources = {}): ValueSet {
  return { name, file: join(valuesDir, `${name}.yaml`), existing };
}

export const valueSets: readonly ValueSet[] = [
  set("default"),
  set("external-redis", {
    "flotilla-redis-credentials": { url: "rediss://flotilla:managed-pass@redis.managed.example.com:6380" },
    "flotilla-encryption-key": { "encryption-key": key },
    "flotilla-api-token": { token: "an-api-token-of-enough-length" },
  }),
  set("sentinel", { "flotilla-git": { "github-token": "ghp_example" } }),
  set("agent", { "flotilla-agent-redis": { "redis-url": "redis://flotilla-agent.edge-eu-1:agent-pass@redis:6379" } }),
  set("agent-cluster-admin"),
  set("hpa"),
  set("exposed"),
];

export function valueSet(name: string): ValueSet {
  const found = valueSets.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no value set ${name}`);
  return found;
}
