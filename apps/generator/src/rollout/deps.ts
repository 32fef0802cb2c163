import type { Logger } from "pino";
import type { GeneratorState, JobSink } from "../ports.ts";

/** What the rollout controller's wiring needs of the generator. */
export interface RolloutDeps {
  state: GeneratorState;
  jobs: JobSink;
  logger: Logger;
}
