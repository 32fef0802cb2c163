import type { HealthReport, HealthStatus, KubeObject } from "@flotilla/kube";
import type { AppStatus } from "@flotilla/status";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HealthSettler } from "./health-settler.ts";

const log = pino({ level: "silent" });
const ref = { cluster: "c", appSet: "s", application: "a" };
const options = { waitMs: 30_000, pollMs: 1_000 };
const DEPLOYMENT = "apps/Deployment/ns/web";

/** The Deployment as a watch event carries it, with one replica available or none. */
function deployment(available: number, resourceVersion?: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "ns",
      generation: 1,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
    spec: { replicas: 1 },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: available },
  };
}

function status(health: HealthStatus, lastSyncAt = "2026-01-01T00:00:00.000Z"): AppStatus {
  return {
    ...ref,
    sync: "Synced",
    health,
    lastSyncAt,
    resources: [{ id: "apps/Deployment/ns/web", action: "created", health }],
  };
}

/** What a read or an apply judged, of the Deployment at `resourceVersion`. */
function report(health: HealthStatus, resourceVersion = "100"): HealthReport {
  const verdict = { status: health, message: health };
  const object = { id: DEPLOYMENT, subject: "Deployment/ns/web", verdict, resourceVersion };
  return { objects: [object], aggregate: verdict };
}

/** A status store of one Application, in memory. */
function memoryStore(initial: AppStatus) {
  let stored = initial;
  return {
    get: () => stored,
    set: (next: AppStatus) => {
      stored = next;
    },
    async updateHealth(_ref: unknown, update: (s: AppStatus) => AppStatus | undefined) {
      const next = update(stored);
      if (next !== undefined) stored = next;
      return next;
    },
  };
}

describe("HealthSettler", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("judges the object a watch event carries and stores the Application's health, reading nothing", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Progressing"));
    settler.syncEnded(ref, 0, store.get(), report("Progressing"), read, log, options);

    settler.observe("c", "s", "a", deployment(0), DEPLOYMENT);
    await vi.advanceTimersByTimeAsync(500);
    expect(store.get().health).toBe("Progressing");
    settler.observe("c", "s", "a", deployment(1), DEPLOYMENT);
    await vi.advanceTimersByTimeAsync(500);
    expect(read).not.toHaveBeenCalled();
    expect(store.get()).toMatchObject({ health: "Healthy", lastSyncAt: "2026-01-01T00:00:00.000Z" });
    expect(store.get().resources[0]).toMatchObject({ health: "Healthy", message: "1 of 1 replicas available" });
    expect(settler.settling()).toEqual([]);
  });

  it("reads the Application's objects in full when an event shows it Degraded, so that it can say why", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Degraded"));
    settler.syncEnded(ref, 0, store.get(), report("Progressing"), read, log, options);
    const stuck = deployment(0);
    stuck.status = {
      ...(stuck.status as object),
      conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
    };
    settler.observe("c", "s", "a", stuck, DEPLOYMENT);
    await vi.advanceTimersByTimeAsync(500);
    expect(read).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledWith(undefined);
    expect(store.get().health).toBe("Degraded");
  });

  it("reads the Application's objects when an event names an object the sync did not apply", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Healthy"));
    settler.syncEnded(ref, 0, store.get(), report("Progressing"), read, log, options);
    settler.observe("c", "s", "a", undefined, "apps/Deployment/ns/old");
    await vi.advanceTimersByTimeAsync(500);
    expect(read).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledWith(undefined);
    expect(store.get().health).toBe("Healthy");
  });

  it("a re-read by itself asks the cluster only for the objects not yet Healthy, and keeps the others' verdicts", async () => {
    const config = "/ConfigMap/ns/web";
    const synced: AppStatus = {
      ...status("Progressing"),
      resources: [
        { id: config, action: "created", health: "Healthy" },
        { id: DEPLOYMENT, action: "created", health: "Progressing" },
      ],
    };
    const store = memoryStore(synced);
    const settler = new HealthSettler(store);
    const read = vi.fn(async (_only?: ReadonlySet<string>) => report("Healthy"));
    settler.syncEnded(ref, 0, store.get(), report("Progressing"), read, log, options);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(read).toHaveBeenCalledTimes(1);
    expect([...(read.mock.calls[0]?.[0] ?? [])]).toEqual([DEPLOYMENT]);
    expect(store.get().health).toBe("Healthy");
  });

  it("without events, re-reads by itself on a doubling delay within waitMs", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Progressing"));
    settler.syncEnded(ref, 0, store.get(), report("Progressing"), read, log, options);
    await vi.advanceTimersByTimeAsync(60_000);
    // 4 s, 12 s and 28 s after the sync: the next (60 s) is past waitMs; the periodic re-sync takes over.
    expect(read).toHaveBeenCalledTimes(3);
  });

  it("takes an event of a later version than the sync judged, come while it ran, as the object's state", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Healthy"));
    const startedAt = Date.now();
    settler.observe("c", "s", "a", deployment(1, "101"), DEPLOYMENT);
    settler.syncEnded(ref, startedAt, store.get(), report("Progressing", "100"), read, log, options);
    await vi.advanceTimersByTimeAsync(500);
    expect(read).not.toHaveBeenCalled();
    expect(store.get().health).toBe("Healthy");
    expect(settler.settling()).toEqual([]);
  });

  it.each([
    ["the sync's own apply (the version it judged)", "100"],
    ["an older state", "99"],
  ])("leaves an event of %s, come while the sync ran, unread", async (_, version) => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Healthy"));
    const startedAt = Date.now();
    settler.observe("c", "s", "a", deployment(1, version), DEPLOYMENT);
    settler.syncEnded(ref, startedAt, store.get(), report("Progressing", "100"), read, log, options);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(read).not.toHaveBeenCalled();
    expect(store.get().health).toBe("Progressing");
    expect(settler.settling()).toEqual([ref]);
  });

  it("ignores events from before the sync began", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Healthy"));
    settler.observe("c", "s", "a", deployment(1, "101"), DEPLOYMENT);
    await vi.advanceTimersByTimeAsync(10);
    settler.syncEnded(ref, Date.now(), store.get(), report("Progressing", "100"), read, log, options);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(read).not.toHaveBeenCalled();
    expect(store.get().health).toBe("Progressing");
  });

  it.each([
    ["carries no resourceVersion", deployment(1), DEPLOYMENT],
    ["is a deletion", undefined, DEPLOYMENT],
    ["names an object the sync did not apply", deployment(1, "101"), "apps/Deployment/ns/old"],
  ])("re-reads at once when an event that came while the sync ran %s: it cannot be placed", async (_, object, id) => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Healthy"));
    const startedAt = Date.now();
    settler.observe("c", "s", "a", object, id);
    settler.syncEnded(ref, startedAt, store.get(), report("Progressing", "100"), read, log, options);
    await vi.advanceTimersByTimeAsync(500);
    expect(read).toHaveBeenCalledTimes(1);
    expect(store.get().health).toBe("Healthy");
  });

  it("re-reads a sync that ran longer than events are kept, if anything changed", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Healthy"));
    const startedAt = Date.now();
    await vi.advanceTimersByTimeAsync(180_000);
    settler.observe("c", "s", "a", deployment(0, "100"), DEPLOYMENT);
    settler.syncEnded(ref, startedAt, store.get(), report("Progressing", "100"), read, log, options);
    await vi.advanceTimersByTimeAsync(500);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it("forgets what the watches said of Applications that have not changed for a while", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Healthy"));
    settler.observe("c", "s", "a", deployment(1, "101"), DEPLOYMENT);
    await vi.advanceTimersByTimeAsync(150_000);
    // Another Application's event drops the first one's, past recall; a sync of it then finds nothing kept.
    settler.observe("c", "s", "b", deployment(1, "5"), DEPLOYMENT);
    settler.syncEnded(ref, 0, store.get(), report("Progressing", "100"), read, log, options);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(read).not.toHaveBeenCalled();
  });

  it("never touches a status a later sync wrote", async () => {
    const store = memoryStore(status("Progressing"));
    const settler = new HealthSettler(store);
    settler.syncEnded(ref, 0, store.get(), report("Progressing"), async () => report("Healthy"), log, options);
    store.set(status("Degraded", "2026-01-01T00:05:00.000Z"));
    settler.observe("c", "s", "a", deployment(1), DEPLOYMENT);
    await vi.advanceTimersByTimeAsync(500);
    expect(store.get()).toMatchObject({ health: "Degraded", lastSyncAt: "2026-01-01T00:05:00.000Z" });
    expect(settler.settling()).toEqual([]);
  });

  it("does nothing for a sync that did not end Progressing", async () => {
    const store = memoryStore(status("Healthy"));
    const settler = new HealthSettler(store);
    const read = vi.fn(async () => report("Healthy"));
    settler.syncEnded(ref, 0, store.get(), report("Progressing"), read, log, options);
    settler.observe("c", "s", "a", deployment(1), DEPLOYMENT);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(read).not.toHaveBeenCalled();
  });
});
