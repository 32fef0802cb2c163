import type { Params } from "@flotilla/core";

const PREFERRED = ["name", "path", "server"];
const MAX = 120;

/** A short human pointer to a generator element (`name=prod-eu path=apps/web`) for error messages. */
export function describeParams(params: Params): string {
  const keys = Object.keys(params);
  const chosen = [...PREFERRED.filter((k) => k in params), ...keys.filter((k) => !PREFERRED.includes(k))].slice(0, 3);
  const text = chosen
    .map((k) => {
      const v = params[k];
      return `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`;
    })
    .join(" ");
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}
