/** The knobs Argo CD's operator manual (high_availability.md) names for scale. Unset means Argo CD's default. */
export interface ArgoCdTuning {
  /** --status-processors (default 20). */
  statusProcessors?: number;
  /** --operation-processors (default 10). */
  operationProcessors?: number;
  /** --kubectl-parallelism-limit (default 20). */
  kubectlParallelismLimit?: number;
  /** ARGOCD_K8S_CLIENT_QPS (default 50) for every client to a destination and the management cluster. */
  clientQps?: number;
  /** ARGOCD_K8S_CLIENT_BURST (default 100). */
  clientBurst?: number;
  /** The applicationset-controller's --concurrent-reconciliations (default 10). */
  appSetReconciliations?: number;
}

/** Argo CD as installed: every knob at its default. */
export const defaultTuning: ArgoCdTuning = {};

/**
 * The manual's figures for this scale: "For 1000 applications, we use 50 for --status-processors and 25 for
 * --operation-processors"; kubectl parallelism and client QPS/burst raised so they do not cap those processors.
 */
export const documentedTuning: ArgoCdTuning = {
  statusProcessors: 50,
  operationProcessors: 25,
  kubectlParallelismLimit: 50,
  clientQps: 100,
  clientBurst: 200,
};

/** The application-controller flags and the environment a tuning adds. Pure. */
export function tuningArguments(tuning: ArgoCdTuning): { controllerArgs: string[]; env: Record<string, string> } {
  const controllerArgs: string[] = [];
  if (tuning.statusProcessors !== undefined) controllerArgs.push(`--status-processors=${tuning.statusProcessors}`);
  if (tuning.operationProcessors !== undefined) {
    controllerArgs.push(`--operation-processors=${tuning.operationProcessors}`);
  }
  if (tuning.kubectlParallelismLimit !== undefined) {
    controllerArgs.push(`--kubectl-parallelism-limit=${tuning.kubectlParallelismLimit}`);
  }
  const env: Record<string, string> = {};
  if (tuning.clientQps !== undefined) env["ARGOCD_K8S_CLIENT_QPS"] = String(tuning.clientQps);
  if (tuning.clientBurst !== undefined) env["ARGOCD_K8S_CLIENT_BURST"] = String(tuning.clientBurst);
  return { controllerArgs, env };
}
