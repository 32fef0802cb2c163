import type { KubeObject } from "@flotilla/kube";
import { describe, expect, it } from "vitest";
import { find, inventoryOf, type PodSpecLike, parseManifests, workloadsOf } from "./manifests.ts";
import { fileReader, podEnvironment } from "./pod-environment.ts";

const rendered = `
---
# Source: flotilla/templates/secrets.yaml
apiVersion: v1
kind: Secret
metadata: { name: redis }
data:
  redis-url: ${Buffer.from("redis://:pw@redis:6379").toString("base64")}
  auth.conf: ${Buffer.from("requirepass pw\n").toString("base64")}
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
        - name: app
          env:
            - { name: PLAIN, value: "1" }
            - name: URL
              valueFrom: { secretKeyRef: { name: redis, key: redis-url } }
            - name: GIVEN
              valueFrom: { secretKeyRef: { name: given, key: token } }
            - name: ID
              valueFrom: { fieldRef: { fieldPath: metadata.name } }
          volumeMounts:
            - { name: auth, mountPath: /etc/auth }
            - { name: all, mountPath: /etc/all }
            - { name: tmp, mountPath: /tmp }
      volumes:
        - name: auth
          secret: { secretName: redis, items: [{ key: auth.conf, path: redis.conf }] }
        - name: all
          secret: { secretName: redis }
        - { name: tmp, emptyDir: {} }
---
`;

describe("parseManifests and the workload helpers", () => {
  it("reads every object of a helm template stream, skipping empty documents", () => {
    const objects = parseManifests(rendered);
    expect(inventoryOf(objects)).toEqual(["Deployment/web", "Secret/redis"]);
    expect(workloadsOf(objects).map((w) => w.pod.containers[0]?.name)).toEqual(["app"]);
    expect(() => find(objects, "Service", "web")).toThrow(/no Service\/web .* Secret\/redis, Deployment\/web/);
  });

  it("refuses output that is not YAML", () => {
    expect(() => parseManifests("a: [unclosed")).toThrow(/does not parse/);
  });
});

describe("podEnvironment", () => {
  const objects = parseManifests(rendered);
  const pod = workloadsOf(objects)[0]!.pod;

  it("resolves values, rendered and given Secrets, the pod name, and the mounted files", () => {
    const environment = podEnvironment({
      pod,
      container: "app",
      objects,
      existing: { given: { token: "t0ken" } },
      podName: "web-abc",
    });
    expect(environment.env).toEqual({ PLAIN: "1", URL: "redis://:pw@redis:6379", GIVEN: "t0ken", ID: "web-abc" });
    expect(Object.fromEntries(environment.files)).toEqual({
      "/etc/auth/redis.conf": "requirepass pw\n",
      "/etc/all/redis-url": "redis://:pw@redis:6379",
      "/etc/all/auth.conf": "requirepass pw\n",
    });
    const read = fileReader(environment);
    expect(read("/etc/auth/redis.conf")).toBe("requirepass pw\n");
    expect(() => read("/etc/auth/other")).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  it("adds what the kubelet mounts when the service account token is mounted", () => {
    const withToken: PodSpecLike = { ...pod, automountServiceAccountToken: true };
    const environment = podEnvironment({
      pod: withToken,
      container: "app",
      objects,
      existing: { given: { token: "x" } },
    });
    expect(environment.env["KUBERNETES_SERVICE_HOST"]).toBeDefined();
    expect(environment.files.has("/var/run/secrets/kubernetes.io/serviceaccount/token")).toBe(true);
  });

  it("names a reference that resolves to nothing, rather than inventing a value", () => {
    expect(() => podEnvironment({ pod, container: "app", objects })).toThrow(/Secret given has no key token/);
    expect(() => podEnvironment({ pod, container: "nope", objects })).toThrow(/no container nope/);
    const broken = structuredClone(objects) as KubeObject[];
    const spec = workloadsOf(broken)[0]!.pod;
    spec.volumes = [];
    expect(() =>
      podEnvironment({ pod: spec, container: "app", objects: broken, existing: { given: { token: "x" } } }),
    ).toThrow(/mount auth names no volume/);
  });
});
