import { formatIssue, type LocatedApplicationSet, parseApplicationSets, type ValidationIssue } from "@flotilla/core";
import { badRequest } from "../errors.ts";

/** One ApplicationSet file as a client posts it: a name for messages (its path, usually) and its YAML text. */
export interface PostedFile {
  name: string;
  content: string;
}

/** Issues listed in one refusal; a file with thousands of broken documents is summed up past this. */
const MAX_LISTED_ISSUES = 20;

/**
 * The ApplicationSets of the posted files, parsed as the generator parses the fleet repository. Any problem
 * refuses the request (400) with every problem as `name:line:col: field: what was expected`, one per line, and
 * `field` naming the first file at fault; nothing is generated from a request that is partly wrong.
 */
export function readPostedFiles(files: readonly PostedFile[]): LocatedApplicationSet[] {
  const issues: { issue: ValidationIssue; index: number }[] = [];
  const found: LocatedApplicationSet[] = [];
  const firstSeen = new Map<string, LocatedApplicationSet>();
  files.forEach((file, index) => {
    const parsed = parseApplicationSets(file.content, file.name);
    issues.push(...parsed.issues.map((issue) => ({ issue, index })));
    for (const located of parsed.appSets) {
      const name = located.appSet.metadata.name;
      const first = firstSeen.get(name);
      if (first !== undefined) {
        issues.push({
          index,
          issue: {
            file: file.name,
            line: located.line,
            column: 1,
            path: "metadata.name",
            message: `duplicate ApplicationSet name "${name}" (first defined in ${first.file}:${first.line})`,
          },
        });
        continue;
      }
      firstSeen.set(name, located);
      found.push(located);
    }
  });
  if (issues.length > 0) {
    const listed = issues.slice(0, MAX_LISTED_ISSUES).map(({ issue }) => formatIssue(issue));
    if (issues.length > MAX_LISTED_ISSUES) listed.push(`(and ${issues.length - MAX_LISTED_ISSUES} more)`);
    throw badRequest(listed.join("\n"), `body.files[${issues[0]!.index}].content`);
  }
  if (found.length === 0) throw badRequest("the posted files hold no ApplicationSet", "body.files");
  return found;
}
