import { Type } from "typebox";

/** Every error response: a stable code, words for a person, and the field at fault when there is one. */
export const ErrorSchema = Type.Object(
  {
    error: Type.String({ description: "stable code: BadRequest, Unauthorized, Forbidden, NotFound, Conflict, …" }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: "the request field at fault, e.g. body.labels.env" })),
  },
  { additionalProperties: false },
);

/** The error responses every authenticated route can give; spread into a route's `response`. */
export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
} as const;

/** A cluster name: a DNS-1123 subdomain, as everywhere a cluster is named. */
export const ClusterName = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
});

/** An ApplicationSet or Application name as Kubernetes names objects. */
export const ObjectName = Type.String({ minLength: 1, maxLength: 253 });

export const Labels = Type.Record(Type.String({ minLength: 1, maxLength: 317 }), Type.String({ maxLength: 63 }), {
  maxProperties: 256,
});

/** The query of a list answered a page at a time by name (see `paging/name-page.ts`). */
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: "`next` of a page" })),
  },
  { additionalProperties: false },
);

export const PageNext = Type.Optional(Type.String({ description: "the cursor of the next page; absent on the last" }));

export const PAGE_DESCRIPTION =
  "Every item without `limit`; with it, a page at most that long and, unless it is the last, `next`: pass it as `cursor` for the next page.";
