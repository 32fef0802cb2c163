import { createRequire } from "node:module";

type ClientNode = typeof import("@kubernetes/client-node");

let loaded: ClientNode | undefined;

/**
 * client-node, loaded at first use rather than at import. Its index pulls in every generated API and model (about
 * 870 modules, undici's WebAssembly parser among them): some 85 MiB of RSS in a process that never talks to a
 * cluster (the generator, the API, most CLI commands) but imports this package for its pure parts (labels, ids,
 * health). `require` of the ES module is synchronous (it has no top-level await), so the verbs stay synchronous.
 */
export function clientNode(): ClientNode {
  loaded ??= createRequire(import.meta.url)("@kubernetes/client-node") as ClientNode;
  return loaded;
}
