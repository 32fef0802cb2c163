/**
 * The manifest text with every `image: REPOSITORY:<tag>` set to `tag`, leaving the rest of the text (comments,
 * layout) as written, as a person editing the file would. An image that is not there is an error, so that a
 * commit never silently changes nothing.
 */
export function withImageTag(text: string, repository: string, tag: string): string {
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`image tag ${JSON.stringify(tag)} is not a valid tag`);
  const escaped = repository.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const line = new RegExp(`^(\\s*(?:-\\s+)?image:\\s*["']?${escaped}):[\\w][\\w.-]*(["']?\\s*)$`, "gm");
  let found = false;
  const out = text.replace(line, (_match, head: string, tail: string) => {
    found = true;
    return `${head}:${tag}${tail}`;
  });
  if (!found) throw new Error(`no "image: ${repository}:<tag>" line to change`);
  return out;
}
