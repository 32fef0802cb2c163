export { type Advanced, advanceRollout, heldBack, type Release } from "./advance.ts";
export { type ActionOutcome, promoteRollout, resumeRollout } from "./operator.ts";
export { type ChangedApp, carriesChangeSet, type PlanInput, planRollout, stepMatchers, stepOf } from "./plan.ts";
export type {
  Observation,
  Rollout,
  RolloutApp,
  RolloutAppState,
  RolloutChange,
  RolloutCondition,
  RolloutPhase,
  RolloutStep,
  RolloutStepState,
} from "./types.ts";
