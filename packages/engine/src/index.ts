export { describeParams } from "./describe-params.ts";
export type { GenerateOptions } from "./generate.ts";
export { generateApplications } from "./generate.ts";
export { GenerationMemo } from "./generation-memo.ts";
export { InvalidApplicationError, renderApplication } from "./render-application.ts";
