// Test-only (left out of the build): what other packages' integration tests need to run a real worker.
export { application, configMapYaml, uniqueName } from "./fixtures.ts";
export { eventually, startTestAgent, storeAndSync, type TestAgent } from "./harness.ts";
