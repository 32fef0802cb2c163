// Prints vitest's JSON results as one plain closing line ("tests: N passed, N failed, N skipped") that any CI
// can read, and fails when the run executed no test at all.
import { readFileSync } from "node:fs";

interface Results {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const file = process.argv[2] ?? ".flotilla/test-results.json";
const r = JSON.parse(readFileSync(file, "utf8")) as Results;
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
if (r.numPassedTests + r.numFailedTests === 0) {
  console.error("no test ran");
  process.exit(1);
}
process.exit(r.numFailedTests > 0 ? 1 : 0);
