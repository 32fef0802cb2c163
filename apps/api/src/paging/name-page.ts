/** A page of a list kept in name order (clusters, ApplicationSets). */
export interface NamePage<T> {
  items: T[];
  /** The cursor of the next page; absent on the last. */
  next?: string;
}

/**
 * The items after the cursor's name, at most `limit` of them (all when no limit): a fleet of thousands is listed
 * a page at a time, and only a page's items have their other facts read. Pure, so paging is tested on data;
 * `items` are sorted by `nameOf`, as the store lists them. A cursor whose item was removed meanwhile still
 * continues where it was.
 */
export function pageByName<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  options: { limit?: number; after?: string },
): NamePage<T> {
  const { limit, after } = options;
  const rest = after === undefined ? items : items.filter((item) => nameOf(item) > after);
  if (limit === undefined || rest.length <= limit) return { items: [...rest] };
  const page = rest.slice(0, limit);
  return { items: page, next: encodeNameCursor(nameOf(page[page.length - 1]!)) };
}

/** The opaque cursor naming a page's last item; base64url JSON, so a client never builds one. */
export function encodeNameCursor(name: string): string {
  return Buffer.from(JSON.stringify({ after: name })).toString("base64url");
}

/** The name a cursor names, or undefined when it is not one this API made. */
export function decodeNameCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const { after } = parsed as { after?: unknown };
    return typeof after === "string" && after.length > 0 && after.length <= 253 ? after : undefined;
  } catch {
    return undefined;
  }
}
