import { createRequire, registerHooks } from "node:module";
import type * as ClientNodeIndex from "@kubernetes/client-node";

/** The parts of client-node Flotilla uses. */
export type ClientNode = Pick<
  typeof ClientNodeIndex,
  "KubeConfig" | "Watch" | "createConfiguration" | "ServerConfiguration" | "HttpMethod"
>;

const KUBECONFIG_MODULE = "/@kubernetes/client-node/dist/config.js";
const GENERATED_INDEX = "./gen/index.js";
const SLIM_INDEX = new URL("./client-node-gen.ts", import.meta.url).href;

let loaded: ClientNode | undefined;

/**
 * client-node, loaded at first use rather than at import, and only the modules Flotilla uses. Its index pulls in
 * every generated API and model (about 870 modules, undici's WebAssembly parser among them): ~85 MiB of RSS in a
 * process that never talks to a cluster (the generator, the API, most CLI commands) but imports this package for
 * its pure parts (labels, ids, health). A process that does talk to clusters loads KubeConfig, Watch and the request
 * plumbing from their own modules. KubeConfig's module imports two names from the generated client's index; a
 * resolve hook hands it client-node-gen.ts instead, which exports just those two, so that the generated APIs (~7 MiB
 * of source text alone) and models are never loaded: ~40 MiB less RSS in a worker. Only that one import of that one
 * module is redirected. `require` of the ES modules is synchronous (they have no top-level await), so every verb
 * keeps its synchronous signature.
 */
export function clientNode(): ClientNode {
  if (loaded === undefined) {
    registerHooks({
      resolve(specifier, context, next) {
        if (specifier === GENERATED_INDEX && context.parentURL?.endsWith(KUBECONFIG_MODULE) === true) {
          return next(SLIM_INDEX, context);
        }
        return next(specifier, context);
      },
    });
    const require = createRequire(import.meta.url);
    const { KubeConfig } = require("@kubernetes/client-node/dist/config.js") as Pick<ClientNode, "KubeConfig">;
    const { Watch } = require("@kubernetes/client-node/dist/watch.js") as Pick<ClientNode, "Watch">;
    const { HttpMethod } = require("@kubernetes/client-node/dist/gen/http/http.js") as Pick<ClientNode, "HttpMethod">;
    const { createConfiguration, ServerConfiguration } = require("./client-node-gen.ts") as Pick<
      ClientNode,
      "createConfiguration" | "ServerConfiguration"
    >;
    loaded = { KubeConfig, Watch, HttpMethod, createConfiguration, ServerConfiguration };
  }
  return loaded;
}
