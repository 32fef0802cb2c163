// Renders `.flotilla/faults.md` again from `.flotilla/faults.json` (each fault writes both; this is for a JSON
// edited or merged by hand). Usage: pnpm --filter @flotilla/faults table
import { readReport, reportTable, writeReport } from "./report/record.ts";

const report = readReport();
writeReport(report);
process.stdout.write(`${report.rows.length} faults → ${reportTable}\n`);
