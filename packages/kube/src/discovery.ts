import { ApiError } from "./errors/api-error.ts";
import { UnknownKind } from "./errors/unknown-kind.ts";
import type { ObjectRef } from "./object.ts";
import type { Transport } from "./transport.ts";

/** Where a kind is served: its plural resource name and whether it lives in namespaces. */
export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/**
 * Kind → resource mapping, cached per apiVersion. A miss re-reads that apiVersion once, because a CRD applied a
 * moment ago adds kinds the cache has not seen.
 */
export class Discovery {
  readonly #transport: Transport;
  readonly #cache = new Map<string, Promise<ResourceInfo[]>>();

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  async resolve(apiVersion: string, kind: string, ref?: ObjectRef): Promise<ResourceInfo> {
    const cached = await this.#lookup(apiVersion, kind, false, ref);
    return cached ?? (await this.#lookup(apiVersion, kind, true, ref)) ?? this.#unknown(apiVersion, kind, ref);
  }

  #unknown(apiVersion: string, kind: string, ref: ObjectRef | undefined): never {
    throw new UnknownKind(apiVersion, kind, ref);
  }

  async #lookup(
    apiVersion: string,
    kind: string,
    refresh: boolean,
    ref?: ObjectRef,
  ): Promise<ResourceInfo | undefined> {
    if (refresh) this.#cache.delete(apiVersion);
    let list = this.#cache.get(apiVersion);
    if (list === undefined) {
      list = this.#fetch(apiVersion, ref);
      this.#cache.set(apiVersion, list);
      // A failed read must not stay cached: the next call should try again.
      list.catch(() => this.#cache.delete(apiVersion));
    }
    return (await list).find((resource) => resource.kind === kind);
  }

  async #fetch(apiVersion: string, ref?: ObjectRef): Promise<ResourceInfo[]> {
    const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    try {
      const list = await this.#transport.request<ApiResourceList>({ method: "GET", path });
      return (list.resources ?? [])
        .filter((r) => !r.name.includes("/"))
        .map((r) => ({ apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced }));
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return [];
      if (error instanceof ApiError) throw new ApiError(error.status, ref);
      throw error;
    }
  }
}

/** The REST path of a resource collection or, with a name, of one object. */
export function resourcePath(info: ResourceInfo, namespace: string, name?: string): string {
  const root = info.apiVersion.includes("/") ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const scope = info.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const tail = name === undefined ? "" : `/${encodeURIComponent(name)}`;
  return `${root}${scope}/${info.plural}${tail}`;
}

/** The REST path of a kind's objects in every namespace (or, cluster-scoped, all of them): what a watch lists. */
export function collectionPath(info: ResourceInfo): string {
  const root = info.apiVersion.includes("/") ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  return `${root}/${info.plural}`;
}
