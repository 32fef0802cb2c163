// What client-node's KubeConfig (dist/config.js) imports from its generated client's index, without the index:
// `clientNode()` resolves config.js's "./gen/index.js" here (see client-node.ts).
export { createConfiguration } from "@kubernetes/client-node/dist/gen/configuration.js";
export { ServerConfiguration } from "@kubernetes/client-node/dist/gen/servers.js";
