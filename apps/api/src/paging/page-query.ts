import { badRequest } from "../errors.ts";
import { decodeNameCursor } from "./name-page.ts";

/** A list's `limit` and `cursor` as `pageByName` takes them; a cursor this API did not give is a 400. */
export function pageOptions(query: { limit?: number; cursor?: string }): { limit?: number; after?: string } {
  const { limit, cursor } = query;
  const after = cursor === undefined ? undefined : decodeNameCursor(cursor);
  if (cursor !== undefined && after === undefined) {
    throw badRequest("query.cursor: not a cursor this API gave; pass the `next` of a previous page", "query.cursor");
  }
  return { ...(limit !== undefined && { limit }), ...(after !== undefined && { after }) };
}
