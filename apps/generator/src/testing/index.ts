export { prodAppSet, type ServerTarget, serverAppSet } from "./fleet-repo.ts";
export { pushWebhook, type TestGeneratorConfigOptions, testGeneratorConfig } from "./service-config.ts";
