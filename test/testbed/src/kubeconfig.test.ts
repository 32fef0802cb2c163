import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clusterNames } from "./clusters.ts";
import { renderKubeconfig } from "./kubeconfig.ts";

describe("renderKubeconfig", () => {
  it("names cluster and context after the cluster, and the user uniquely", () => {
    const config = parse(
      renderKubeconfig({
        clusterName: "alpha",
        apiUrl: "https://127.0.0.1:6443",
        caPem: "PEM",
        user: "flotilla-alpha-admin",
        token: "t0k",
      }),
    );
    expect(config["current-context"]).toBe("alpha");
    expect(config.clusters[0].cluster.server).toBe("https://127.0.0.1:6443");
    expect(Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString()).toBe("PEM");
    expect(config.users).toEqual([{ name: "flotilla-alpha-admin", user: { token: "t0k" } }]);
    expect(config.contexts[0].context).toEqual({ cluster: "alpha", user: "flotilla-alpha-admin" });
  });
});

describe("clusterNames", () => {
  it("uses the given names, then the phonetic alphabet, then numbers", () => {
    expect(clusterNames(3, ["east"])).toEqual(["east", "bravo", "charlie"]);
    expect(clusterNames(12).slice(9)).toEqual(["juliett", "cluster-11", "cluster-12"]);
  });

  it("rejects duplicates and names that are not DNS labels", () => {
    expect(() => clusterNames(2, ["a", "a"])).toThrow(/unique/);
    expect(() => clusterNames(1, ["Not_Valid"])).toThrow(/DNS label/);
  });
});
