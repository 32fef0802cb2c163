import { type Cluster, type GeneratorSpec, newParams, type Params } from "@flotilla/core";
import { sanitizeName } from "@flotilla/template";
import type { Generator, GeneratorContext, GeneratorPosition } from "./generator.ts";
import { contentKey } from "./memo.ts";
import { compileSelector } from "./selector.ts";
import { addValues } from "./values.ts";

/**
 * One parameter set per registered cluster whose labels match the selector (all clusters without one).
 * Params: `name`, `nameNormalized`, `server`, `metadata.labels.<k>`, `metadata.annotations.<k>`, the maps
 * `metadata.labels` and `metadata.annotations` (for `{{#each}}`), and `values.<k>` rendered with the others.
 */
export class ClustersGenerator implements Generator {
  readonly kind = "clusters" as const;

  async generate(spec: GeneratorSpec, ctx: GeneratorContext, at: GeneratorPosition): Promise<Params[]> {
    const clusters = spec.clusters ?? {};
    const matches = compileSelector(clusters.selector, [...at.path, "selector"]);
    const out: Params[] = [];
    const memo = ctx.memo;
    const valuesKey = memo === undefined ? undefined : contentKey(clusters.values);
    for (const cluster of ctx.clusters) {
      if (!matches(cluster.labels)) continue;
      const make = () =>
        addValues(clusterParams(cluster), clusters.values, at.path, `cluster ${JSON.stringify(cluster.name)}`);
      // Only what the params are made of: a registered cluster's record holds more (its mode, its credentials).
      const key =
        valuesKey === undefined
          ? undefined
          : contentKey([cluster.name, cluster.server, cluster.labels, cluster.annotations]);
      out.push(key === undefined ? make() : memo!.leaf(`cluster${valuesKey}${key}`, make));
    }
    return out;
  }
}

function clusterParams(cluster: Cluster): Params {
  const params = newParams();
  params["name"] = cluster.name;
  params["nameNormalized"] = sanitizeName(cluster.name);
  params["server"] = cluster.server;
  params["metadata.labels"] = frozenCopy(cluster.labels);
  params["metadata.annotations"] = frozenCopy(cluster.annotations);
  for (const [k, v] of Object.entries(cluster.labels)) params[`metadata.labels.${k}`] = v;
  for (const [k, v] of Object.entries(cluster.annotations)) params[`metadata.annotations.${k}`] = v;
  return params;
}

function frozenCopy(map: Readonly<Record<string, string>>): Params {
  const out = newParams();
  for (const [k, v] of Object.entries(map)) out[k] = v;
  return Object.freeze(out);
}
