// Git has no machine-readable failure codes; its stderr (forced to the C locale by the runner) is all there
// is. Order matters: SSH prints "Permission denied" *and* "Could not read from remote repository", and the
// former is the real cause.

export type GitFailureKind = "auth" | "unreachable" | "unknown-revision" | "other";

const RULES: ReadonlyArray<readonly [GitFailureKind, RegExp]> = [
  ["auth", /authentication failed/i],
  ["auth", /could not read (username|password)/i],
  ["auth", /terminal prompts disabled/i],
  ["auth", /permission denied \((publickey|password|keyboard-interactive)/i],
  ["auth", /permission to .* denied/i],
  ["auth", /http basic: access denied/i],
  ["auth", /invalid username or password/i],
  ["auth", /returned error: 40[13]\b/i],
  ["auth", /host key verification failed/i],
  ["auth", /(load key|identity file) .*(no such file|not accessible|invalid format|bad permissions)/i],
  ["unreachable", /could not resolve (host|hostname|proxy)/i],
  ["unreachable", /name or service not known|temporary failure in name resolution/i],
  ["unreachable", /connection (refused|timed out|reset|closed)/i],
  ["unreachable", /failed to connect|couldn't connect|network is unreachable|no route to host/i],
  ["unreachable", /operation timed out|timed out after/i],
  ["unreachable", /does not appear to be a git repository/i],
  ["unreachable", /repository .*not found|not found: did you run git update-server-info/i],
  ["unreachable", /returned error: (404|5\d\d)\b/i],
  ["unreachable", /remote end hung up|early eof|rpc failed|unable to access/i],
  ["unreachable", /could not read from remote repository/i],
  ["unreachable", /ssl|tls|certificate/i],
  ["unknown-revision", /couldn't find remote ref/i],
  ["unknown-revision", /unknown revision|bad revision|bad object|invalid object name/i],
  ["unknown-revision", /needed a single revision|not a valid object name|ambiguous argument/i],
  ["unknown-revision", /not a tree object|not a commit object|short object id .* is ambiguous/i],
];

export function classifyGitFailure(stderr: string): GitFailureKind {
  for (const [kind, pattern] of RULES) {
    if (pattern.test(stderr)) return kind;
  }
  return "other";
}

/** The most telling line of git's stderr, for an error message that stays one line long. */
export function summarizeStderr(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("hint:"));
  const fatal = lines.find((l) => /^(fatal|error):/i.test(l) && !/could not read from remote repository/i.test(l));
  return (fatal ?? lines[0] ?? "git failed without output").replace(/^(fatal|error):\s*/i, "");
}
