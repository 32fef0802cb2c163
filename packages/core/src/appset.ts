import type { z } from "zod";
import type {
  applicationSchema,
  applicationSetSchema,
  applicationSpec,
  applicationTemplate,
  labelSelector,
  source,
} from "./schema.ts";

export type { GeneratorKind, GeneratorSpec } from "./schema.ts";
export type ApplicationSet = z.infer<typeof applicationSetSchema>;
export type ApplicationSetSpec = ApplicationSet["spec"];
export type ApplicationTemplate = z.infer<typeof applicationTemplate>;
export type ApplicationSpec = z.infer<typeof applicationSpec>;
export type Application = z.infer<typeof applicationSchema>;
export type ApplicationSource = z.infer<typeof source>;
export type LabelSelector = z.infer<typeof labelSelector>;
/** One step of `spec.strategy.rollingSync`: which Applications (by label) and how many at once. */
export type RollingSyncStep = NonNullable<NonNullable<ApplicationSetSpec["strategy"]>["rollingSync"]>["steps"][number];
export type ApplicationsSyncPolicy = NonNullable<NonNullable<ApplicationSetSpec["syncPolicy"]>["applicationsSync"]>;

export const API_VERSION = "flotilla.dev/v1alpha1";
/** Label on every generated Application naming the ApplicationSet that owns it. */
export const APPSET_LABEL = "flotilla.dev/appset";
