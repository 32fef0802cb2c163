/**
 * Hostile queries for a list answered a page at a time (`PageQuery`), each with the field its 400 must name: a
 * cursor this API never gave, limits out of range or not numbers, a parameter the list does not take.
 */
export const HOSTILE_PAGE_QUERIES: readonly (readonly [query: string, field: string])[] = [
  ["cursor=bm90LWEtY3Vyc29y", "query.cursor"],
  ["cursor=%2B%2F", "query.cursor"],
  ["limit=0", "query.limit"],
  ["limit=1001", "query.limit"],
  ["limit=two", "query.limit"],
  ["page=2", "query.page"],
];
