/** The dashboard's pages by path; the API serves index.html for each of these prefixes. */
export type Route =
  | { page: "matrix" }
  | { page: "application"; cluster: string; application: string }
  | { page: "appset"; name: string }
  | { page: "cluster"; name: string }
  | { page: "notfound"; path: string };

/** Path prefixes that are dashboard pages (the API's static routes name the same ones). */
export const PAGE_PREFIXES = ["/applications/", "/appsets/", "/clusters/"] as const;

function segment(s: string | undefined): string | undefined {
  if (s === undefined || s === "") return undefined;
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export function matchRoute(pathname: string): Route {
  const parts = pathname.split("/").slice(1);
  if (pathname === "/" || pathname === "") return { page: "matrix" };
  const [head, a, b, ...rest] = parts;
  const first = segment(a);
  const second = segment(b);
  if (head === "applications" && first !== undefined && second !== undefined && rest.length === 0) {
    return { page: "application", cluster: first, application: second };
  }
  if (head === "appsets" && first !== undefined && b === undefined) return { page: "appset", name: first };
  if (head === "clusters" && first !== undefined && b === undefined) return { page: "cluster", name: first };
  return { page: "notfound", path: pathname };
}

const enc = encodeURIComponent;

export const paths = {
  matrix: (query = "") => (query === "" ? "/" : `/?${query}`),
  application: (ref: { cluster: string; application: string; appSet?: string }) =>
    `/applications/${enc(ref.cluster)}/${enc(ref.application)}${ref.appSet === undefined ? "" : `?appset=${enc(ref.appSet)}`}`,
  appSet: (name: string) => `/appsets/${enc(name)}`,
  cluster: (name: string) => `/clusters/${enc(name)}`,
};
