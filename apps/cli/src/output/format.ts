import type { Application } from "@flotilla/core";
import Table from "cli-table3";
import { stringify } from "yaml";

export const OUTPUT_FORMATS = ["table", "yaml", "json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * @param stepOf the RollingSync step an Application falls in, as shown in the table's STEP column (the column is
 *   there only when some Application has one); JSON and YAML print the Applications as they are.
 */
export function formatApplications(
  apps: readonly Application[],
  format: OutputFormat,
  stepOf: (app: Application) => string | undefined = () => undefined,
): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(apps, null, 2)}\n`;
    case "yaml":
      return apps.map((a) => `---\n${stringify(a, { lineWidth: 0 })}`).join("");
    case "table":
      return `${applicationTable(apps, stepOf)}\n`;
  }
}

function applicationTable(apps: readonly Application[], stepOf: (app: Application) => string | undefined): string {
  const withSteps = apps.some((a) => stepOf(a) !== undefined);
  const table = new Table({
    head: ["APPLICATION", "APPSET", "CLUSTER", "NAMESPACE", "SOURCE", "REVISION", ...(withSteps ? ["STEP"] : [])],
    style: { head: [], border: [], compact: true },
  });
  for (const a of apps) {
    const { source, destination } = a.spec;
    table.push([
      a.metadata.name,
      a.metadata.labels?.["flotilla.dev/appset"] ?? "",
      destination.cluster ?? destination.server ?? "",
      destination.namespace ?? "",
      `${source.repoURL}${source.chart ? ` chart ${source.chart}` : source.path ? ` ${source.path}` : ""}`,
      source.targetRevision ?? "HEAD",
      ...(withSteps ? [stepOf(a) ?? ""] : []),
    ]);
  }
  return table.toString();
}
