import { Type } from "typebox";

export const TokenName = Type.String({ minLength: 1, maxLength: 63, pattern: "^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$" });
export const Scope = Type.Union([Type.Literal("read"), Type.Literal("admin")]);
export const TokenRecord = Type.Object(
  { name: Type.String(), scope: Scope, createdAt: Type.String({ format: "date-time" }) },
  { additionalProperties: false },
);
/** Who a bearer token is (`GET /whoami`). */
export const WhoAmISchema = Type.Object({ name: Type.String(), scope: Scope });
