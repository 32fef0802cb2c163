import { describe, expect, it } from "vitest";
import { matchRoute, PAGE_PREFIXES, paths } from "./routes.ts";

describe("routes", () => {
  it.each([
    ["/", { page: "matrix" }],
    ["/applications/dev/guestbook-dev", { page: "application", cluster: "dev", application: "guestbook-dev" }],
    ["/appsets/guestbook", { page: "appset", name: "guestbook" }],
    ["/clusters/eu-1", { page: "cluster", name: "eu-1" }],
    ["/applications/dev", { page: "notfound", path: "/applications/dev" }],
    ["/applications/dev/a/b", { page: "notfound", path: "/applications/dev/a/b" }],
    ["/appsets/%E0%A4%A", { page: "notfound", path: "/appsets/%E0%A4%A" }],
    ["/elsewhere", { page: "notfound", path: "/elsewhere" }],
  ])("%s", (path, route) => expect(matchRoute(path)).toEqual(route));

  it("paths built for a page match back to it, odd names included", () => {
    const ref = { cluster: "a.b", application: "x y/z?", appSet: "s&t" };
    const url = new URL(paths.application(ref), "http://h");
    expect(matchRoute(url.pathname)).toEqual({ page: "application", cluster: "a.b", application: "x y/z?" });
    expect(url.searchParams.get("appset")).toBe("s&t");
    expect(matchRoute(paths.appSet("a/b"))).toEqual({ page: "appset", name: "a/b" });
    expect(matchRoute(paths.cluster("c"))).toEqual({ page: "cluster", name: "c" });
  });

  it("every page lives under a prefix the API serves index.html for", () => {
    for (const p of [paths.application({ cluster: "c", application: "a" }), paths.appSet("s"), paths.cluster("c")]) {
      expect(PAGE_PREFIXES.some((prefix) => p.startsWith(prefix))).toBe(true);
    }
  });
});
