/**
 * The test bed is quiet by default: a test run shows one summary line. FLOTILLA_TESTBED_LOG=1 prints each step;
 * the processes' own output always goes to files in the run's folder.
 */
const verbose = process.env["FLOTILLA_TESTBED_LOG"] === "1";

export function logStep(message: string): void {
  if (verbose) process.stderr.write(`testbed: ${message}\n`);
}

export function logSummary(message: string): void {
  process.stderr.write(`testbed: ${message}\n`);
}
