import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { inClusterKubeconfig } from "./in-cluster.ts";

describe("inClusterKubeconfig", () => {
  it("points at the service's address and names the mounted token and CA files, so rotated tokens are re-read", () => {
    const kc = new KubeConfig();
    kc.loadFromString(inClusterKubeconfig({ host: "10.96.0.1", port: "443", serviceAccountDir: "/sa" }));
    expect(kc.getCurrentCluster()).toMatchObject({ server: "https://10.96.0.1:443", caFile: "/sa/ca.crt" });
    expect(kc.getCurrentUser()?.authProvider).toEqual({ name: "tokenFile", config: { tokenFile: "/sa/token" } });
  });

  it("brackets an IPv6 service address", () => {
    const kc = new KubeConfig();
    kc.loadFromString(inClusterKubeconfig({ host: "fd00::1", port: "443", serviceAccountDir: "/sa" }));
    expect(kc.getCurrentCluster()?.server).toBe("https://[fd00::1]:443");
  });
});
