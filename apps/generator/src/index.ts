export type { GeneratorConfig } from "./config.ts";
export { loadGeneratorConfig } from "./config.ts";
export type { CycleReport } from "./cycle.ts";
export { runCycle } from "./cycle.ts";
export type { GeneratorService } from "./service.ts";
export { startGeneratorService } from "./service.ts";
