import { describe, expect, it } from "vitest";
import { ApiError, type ApiStatus, statusFromBody } from "./api-error.ts";
import { ClusterUnreachable } from "./cluster-unreachable.ts";
import { DryRunFailed } from "./dry-run-failed.ts";
import { ObjectApplyFailed } from "./object-apply-failed.ts";
import { ObjectDeleteFailed } from "./object-delete-failed.ts";
import { isConflict, isImmutableError, isNotFound, isUnknownKind, isUnreachable } from "./predicates.ts";
import { UnknownKind } from "./unknown-kind.ts";

const deployment = { group: "apps", kind: "Deployment", namespace: "shop", name: "web" };
const namespace = { group: "", kind: "Namespace", namespace: "", name: "shop" };
const status = (s: Partial<ApiStatus>): ApiStatus => ({ code: 500, reason: "", message: "", causes: [], ...s });

const immutable = new ApiError(
  status({
    code: 422,
    reason: "Invalid",
    message: 'Deployment.apps "web" is invalid: spec.selector: Invalid value: {...}: field is immutable',
    causes: [
      { reason: "FieldValueInvalid", message: "Invalid value: {...}: field is immutable", field: "spec.selector" },
    ],
  }),
);
const notFound = new ApiError(status({ code: 404, reason: "NotFound", message: 'namespaces "x" not found' }));
const conflict = new ApiError(
  status({
    code: 409,
    reason: "Conflict",
    message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
  }),
);
const unavailable = new ApiError(status({ code: 503, reason: "ServiceUnavailable", message: "etcd is down" }));
const unreachable = new ClusterUnreachable("https://127.0.0.1:6443", new Error("connect ECONNREFUSED"));
const unknown = new UnknownKind("example.com/v1", "Widget");

describe("error messages", () => {
  it.each([
    [
      new ObjectApplyFailed(deployment, immutable),
      "Deployment/shop/web apply failed (spec.selector: field is immutable)",
    ],
    [
      new ObjectApplyFailed(namespace, unknown),
      'Namespace/shop apply failed (no kind "Widget" is served in apiVersion "example.com/v1" on this cluster)',
    ],
    [
      new DryRunFailed(deployment, conflict),
      'Deployment/shop/web dry-run failed (Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas)',
    ],
    [
      new ObjectDeleteFailed(deployment, unreachable),
      "Deployment/shop/web delete failed (cluster at https://127.0.0.1:6443 unreachable: connect ECONNREFUSED)",
    ],
    [
      new ObjectApplyFailed(
        deployment,
        new ApiError(
          status({
            code: 422,
            reason: "Invalid",
            causes: [{ message: "Required value", field: "spec.selector" }, { message: "bad" }],
          }),
        ),
      ),
      "Deployment/shop/web apply failed (spec.selector: Required value; bad)",
    ],
    [
      new ObjectApplyFailed(deployment, new ApiError(status({ code: 500 }))),
      "Deployment/shop/web apply failed (HTTP 500)",
    ],
  ])("%#: %s", (error, message) => {
    expect(error.message).toBe(message);
  });

  it("keeps the cause and the object", () => {
    const error = new ObjectApplyFailed(deployment, immutable);
    expect(error.cause).toBe(immutable);
    expect(error.ref).toEqual(deployment);
    expect(error.name).toBe("ObjectApplyFailed");
  });
});

describe("predicates see through wrapping", () => {
  const all = { immutable, notFound, conflict, unavailable, unreachable, unknown };
  const table: [keyof typeof all, (e: unknown) => boolean, boolean][] = [
    ["immutable", isImmutableError, true],
    ["notFound", isImmutableError, false],
    ["notFound", isNotFound, true],
    ["conflict", isNotFound, false],
    ["conflict", isConflict, true],
    ["immutable", isConflict, false],
    ["unreachable", isUnreachable, true],
    ["unavailable", isUnreachable, true],
    ["notFound", isUnreachable, false],
    ["unknown", isUnknownKind, true],
    ["notFound", isUnknownKind, false],
  ];
  it.each(table)("%s → %o is %s, bare and wrapped", (name, predicate, expected) => {
    expect(predicate(all[name])).toBe(expected);
    expect(predicate(new ObjectApplyFailed(deployment, all[name]))).toBe(expected);
  });

  it("answers false for non-errors", () => {
    expect(isNotFound(undefined)).toBe(false);
    expect(isImmutableError("field is immutable")).toBe(false);
  });
});

describe("statusFromBody", () => {
  it("reads a metav1.Status", () => {
    const body = JSON.stringify({
      kind: "Status",
      code: 422,
      reason: "Invalid",
      message: "bad",
      details: { causes: [{ reason: "FieldValueInvalid", message: "m", field: "spec.x" }, "junk"] },
    });
    expect(statusFromBody(422, body)).toEqual({
      code: 422,
      reason: "Invalid",
      message: "bad",
      causes: [{ reason: "FieldValueInvalid", message: "m", field: "spec.x" }],
    });
  });

  it("keeps the HTTP code when the body is not JSON", () => {
    expect(statusFromBody(502, "<html>Bad Gateway</html>\n")).toEqual({
      code: 502,
      reason: "",
      message: "<html>Bad Gateway</html>",
      causes: [],
    });
  });
});
