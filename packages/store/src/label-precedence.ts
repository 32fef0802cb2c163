/**
 * Who a cluster label belongs to. An agent declares labels (`FLOTILLA_LABELS`) every time it starts; an operator
 * relabels the cluster in the registry. The rule, in one sentence: a key whose value the operator made differ
 * from the agent's declaration (set, changed or removed) is the operator's, and the agent's restarts never touch
 * it; every other key is the agent's, and its latest declaration decides it. An operator who sets a key back to
 * the agent's declared value hands it back to the agent.
 */
export interface LabelOwnership {
  /** The labels as the agent last declared them; absent for a cluster no agent registered. */
  declared?: Record<string, string>;
  /** Keys the operator owns: their value (or their absence) in the effective labels is the operator's. */
  operatorKeys?: string[];
}

export interface AgentLabelOutcome {
  /** The effective labels: what generators select on. */
  labels: Record<string, string>;
  ownership: LabelOwnership;
  /** Keys of its own the agent added, changed or removed since its last declaration: worth a log line. */
  agentChanged: string[];
  /** Keys the agent declares differently from the operator's value, which stays. */
  overridden: string[];
}

/** The labels after an agent (re-)registers declaring `declared`, over what is stored now. */
export function labelsOnAgentRegistration(
  declared: Readonly<Record<string, string>>,
  current: { labels: Readonly<Record<string, string>>; ownership: LabelOwnership } | undefined,
): AgentLabelOutcome {
  const before = current?.ownership.declared ?? {};
  const owned = new Set(current?.ownership.operatorKeys ?? []);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(declared)) if (!owned.has(key)) labels[key] = value;
  for (const key of owned) {
    const value = current?.labels[key];
    if (value !== undefined) labels[key] = value;
  }
  // A key the agent now declares as the operator set it is the agent's again.
  const operatorKeys = [...owned].filter((key) => current?.labels[key] !== declared[key]).sort();
  const agentChanged = changedKeys(before, declared).filter((key) => !owned.has(key));
  const overridden = operatorKeys.filter((key) => (key in declared || key in before) && declared[key] !== labels[key]);
  return { labels, ownership: { declared: { ...declared }, operatorKeys }, agentChanged, overridden };
}

/**
 * The ownership after an operator sets the labels to `labels`: every key deviating from the agent's declaration
 * is theirs. With no declaration known (no agent registered through `registerAgent` yet), every key they set is.
 */
export function ownershipOnRelabel(
  labels: Readonly<Record<string, string>>,
  ownership: LabelOwnership,
): LabelOwnership {
  const operatorKeys = changedKeys(ownership.declared ?? {}, labels);
  return ownership.declared === undefined ? { operatorKeys } : { declared: { ...ownership.declared }, operatorKeys };
}

function changedKeys(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => a[key] !== b[key]).sort();
}
