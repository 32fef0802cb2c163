import type { Application } from "@flotilla/core";
import Table from "cli-table3";
import { stringify } from "yaml";

export const OUTPUT_FORMATS = ["table", "yaml", "json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function formatApplications(apps: readonly Application[], format: OutputFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(apps, null, 2)}\n`;
    case "yaml":
      return apps.map((a) => `---\n${stringify(a, { lineWidth: 0 })}`).join("");
    case "table":
      return `${applicationTable(apps)}\n`;
  }
}

function applicationTable(apps: readonly Application[]): string {
  const table = new Table({
    head: ["APPLICATION", "APPSET", "CLUSTER", "NAMESPACE", "SOURCE", "REVISION"],
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
    ]);
  }
  return table.toString();
}
