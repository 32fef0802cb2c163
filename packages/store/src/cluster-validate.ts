import { clusterSchema, ValidationError, type ValidationIssue } from "@flotilla/core";
import type { ClusterRegistration } from "./cluster-types.ts";

/**
 * Checks a registration before anything is written. Names and labels follow the same schema as clusters declared
 * in files; mode and credentials must agree, because an agent-mode cluster's credentials must never leave it.
 */
export function validateRegistration(reg: ClusterRegistration): void {
  const source = `cluster registration${typeof reg.name === "string" && reg.name ? ` ${reg.name}` : ""}`;
  const { name, server, labels, annotations } = reg;
  const parsed = clusterSchema.safeParse({ name, server, labels, annotations });
  const issues: ValidationIssue[] = [];
  const at = (path: string, message: string) => issues.push({ file: source, line: 0, column: 0, path, message });
  if (!parsed.success) for (const issue of parsed.error.issues) at(issue.path.map(String).join("."), issue.message);
  if (reg.mode !== "pool" && reg.mode !== "agent") at("mode", 'expected "pool" or "agent"');
  if (reg.mode === "pool" && reg.credentials === undefined) at("credentials", "pool mode needs credentials");
  if (reg.mode === "agent" && reg.credentials !== undefined) {
    at("credentials", "agent mode keeps its credentials in the cluster; none may be stored");
  }
  const creds = reg.credentials;
  if (creds !== undefined) {
    if (creds.kind === "kubeconfig") {
      if (typeof creds.kubeconfig !== "string" || creds.kubeconfig.trim() === "") {
        at("credentials.kubeconfig", "must be non-empty kubeconfig text");
      }
    } else if (creds.kind === "token") {
      if (typeof creds.token !== "string" || creds.token === "") at("credentials.token", "must be a non-empty token");
    } else {
      at("credentials.kind", 'expected "kubeconfig" or "token"');
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}
