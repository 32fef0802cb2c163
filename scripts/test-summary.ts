// Prints vitest's JSON results as one plain closing line ("tests: N passed, N failed, N skipped") that any CI
// can read, and fails when the run executed no test at all. A file that failed outside its tests (a hook, an error
// after the last test) is named and counted too: its tests may all have passed.
import { readFileSync } from "node:fs";

interface Results {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string }[] }[];
}

const file = process.argv[2] ?? ".flotilla/test-results.json";
const r = JSON.parse(readFileSync(file, "utf8")) as Results;
const skipped = r.numPendingTests + r.numTodoTests;
const brokenFiles = r.testResults.filter(
  (f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed"),
);
for (const f of brokenFiles) console.error(`failed outside its tests: ${f.name}: ${f.message ?? "(no message)"}`);
const files = brokenFiles.length > 0 ? `, ${brokenFiles.length} file(s) failed outside their tests` : "";
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped${files}`);
if (r.numPassedTests + r.numFailedTests === 0) {
  console.error("no test ran");
  process.exit(1);
}
process.exit(r.numFailedTests > 0 || brokenFiles.length > 0 ? 1 : 0);
