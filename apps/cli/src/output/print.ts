import { stringify } from "yaml";
import type { OutputFormat } from "./format.ts";

/**
 * One resource or list in the format asked for: JSON and YAML print the API's answer as it is (scripts read
 * those), the table is for people. Every command prints through this, so `-o` means the same everywhere.
 */
export function printed(value: unknown, format: OutputFormat, table: () => string): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(value, null, 2)}\n`;
    case "yaml":
      return stringify(value, { lineWidth: 0 });
    case "table": {
      const text = table();
      return text.endsWith("\n") ? text : `${text}\n`;
    }
  }
}
