import type { ClusterClient } from "./client.ts";
import { WaitTimeout } from "./errors/wait-timeout.ts";
import { conditionOf } from "./fields.ts";
import type { KubeObject } from "./object.ts";

export interface WaitOptions {
  /**
   * How long to wait for all CRDs together.
   * @defaultValue 60_000
   */
  timeoutMs: number;
  /**
   * Time between polls.
   * @defaultValue 250
   */
  intervalMs: number;
}

export function defaultWaitOptions(): WaitOptions {
  return { timeoutMs: 60_000, intervalMs: 250 };
}

const CRD_INFO = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  plural: "customresourcedefinitions",
  namespaced: false,
};

/** An Established CRD serves its kinds; NamesAccepted=False means it never will (a name clash). */
function crdState(crd: KubeObject | undefined): "ready" | "waiting" | string {
  if (crd === undefined) return "waiting";
  const names = conditionOf(crd, "NamesAccepted");
  if (names?.status === "False") return `names not accepted: ${names.message ?? names.reason ?? ""}`;
  return conditionOf(crd, "Established")?.status === "True" ? "ready" : "waiting";
}

/** Waits until every named CRD is Established, so that custom resources applied next are understood. */
export async function waitForCrdsEstablished(
  client: ClusterClient,
  names: readonly string[],
  options: WaitOptions = defaultWaitOptions(),
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let pending = [...names];
  while (pending.length > 0) {
    const states = await Promise.all(
      pending.map(async (name) => {
        const ref = { group: CRD_INFO.apiVersion.split("/")[0] ?? "", kind: CRD_INFO.kind, namespace: "", name };
        return { name, ref, state: crdState(await client.get(CRD_INFO, ref)) };
      }),
    );
    const failed = states.find((s) => s.state !== "ready" && s.state !== "waiting");
    if (failed !== undefined)
      throw new WaitTimeout(`CRD ${failed.name} to be established`, 0, failed.ref, failed.state);
    pending = states.filter((s) => s.state === "waiting").map((s) => s.name);
    if (pending.length === 0) return;
    if (Date.now() >= deadline) {
      const first = states.find((s) => s.state === "waiting");
      throw new WaitTimeout(`CRDs ${pending.join(", ")} to be established`, options.timeoutMs, first?.ref);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
