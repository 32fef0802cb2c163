import { describe, expect, it } from "vitest";
import { loadGeneratorConfig } from "./config.ts";

const files: Record<string, string> = {
  "gen.yaml": "fleet:\n  repoURL: https://git.example/fleet.git\n  revision: main\npollInterval: 30s\n",
  "bad.yaml": "fleet:\n  repoURL: https://git.example/fleet.git\npollInterval: soon\nwebhok: {}\n",
  secret: "from-a-file\n",
};
const read = (p: string) => {
  const t = files[p];
  if (t === undefined) throw new Error(`no file ${p}`);
  return t;
};

describe("loadGeneratorConfig", () => {
  it("reads the rollout tick from FLOTILLA_ROLLOUT_TICK and refuses a bare number or 0", () => {
    const env = { FLOTILLA_FLEET_REPO: "/srv/fleet" };
    expect(loadGeneratorConfig({ ...env, FLOTILLA_ROLLOUT_TICK: "500ms" }, read).rolloutTickMs).toBe(500);
    expect(() => loadGeneratorConfig({ ...env, FLOTILLA_ROLLOUT_TICK: "5" }, read)).toThrow(
      'environment: rolloutTick: "5" has no unit; write 5s for seconds or 5ms for milliseconds',
    );
    expect(() => loadGeneratorConfig({ ...env, FLOTILLA_ROLLOUT_TICK: "0" }, read)).toThrow(
      "environment: rolloutTick: must be longer than 0 (rollouts would never move)",
    );
  });

  it("reads the file and applies defaults", () => {
    expect(loadGeneratorConfig({ FLOTILLA_CONFIG: "gen.yaml" }, read)).toEqual({
      fleet: { repoURL: "https://git.example/fleet.git", revision: "main", paths: ["**/*.yaml", "**/*.yml"] },
      pollIntervalMs: 30_000,
      rolloutTickMs: 2_000,
      webhook: { port: 8080, secret: "" },
      redis: { url: "redis://127.0.0.1:6379", prefix: "flotilla:", skipPolicyCheck: false },
      render: { enabled: true, concurrency: 8 },
      allowLocalRepos: false,
    });
  });

  it("allows local repositories only when FLOTILLA_ALLOW_LOCAL_REPOS says true, and refuses another value", () => {
    expect(loadGeneratorConfig({ FLOTILLA_CONFIG: "gen.yaml" }, read).allowLocalRepos).toBe(false);
    expect(
      loadGeneratorConfig({ FLOTILLA_CONFIG: "gen.yaml", FLOTILLA_ALLOW_LOCAL_REPOS: "true" }, read).allowLocalRepos,
    ).toBe(true);
    expect(() => loadGeneratorConfig({ FLOTILLA_CONFIG: "gen.yaml", FLOTILLA_ALLOW_LOCAL_REPOS: "yes" }, read)).toThrow(
      /allowLocalRepos/,
    );
  });

  it("turns rendering off with FLOTILLA_RENDER=false, and refuses a render concurrency out of range", () => {
    expect(loadGeneratorConfig({ FLOTILLA_CONFIG: "gen.yaml", FLOTILLA_RENDER: "false" }, read).render.enabled).toBe(
      false,
    );
    files["render.yaml"] = `${files["gen.yaml"]}render: { concurrency: 0 }\n`;
    expect(() => loadGeneratorConfig({ FLOTILLA_CONFIG: "render.yaml" }, read)).toThrow(
      /render\.yaml:5:.*render\.concurrency/,
    );
  });

  it("lets the environment override the file and read secrets from files", () => {
    const c = loadGeneratorConfig(
      {
        FLOTILLA_CONFIG: "gen.yaml",
        FLOTILLA_FLEET_REVISION: "release",
        FLOTILLA_POLL_INTERVAL: "3m",
        FLOTILLA_WEBHOOK_SECRET_FILE: "secret",
        FLOTILLA_REDIS_URL: "redis://r:6380",
      },
      read,
    );
    expect(c.fleet.revision).toBe("release");
    expect(c.pollIntervalMs).toBe(180_000);
    expect(c.webhook.secret).toBe("from-a-file");
    expect(c.redis.url).toBe("redis://r:6380");
  });

  it("refuses a duration without a unit, as the worker does, instead of guessing milliseconds", () => {
    expect(() =>
      loadGeneratorConfig({ FLOTILLA_FLEET_REPO: "/srv/fleet", FLOTILLA_POLL_INTERVAL: "180" }, read),
    ).toThrow('environment: pollInterval: "180" has no unit; write 180s for seconds or 180ms for milliseconds');
    files["bare.yaml"] = "fleet:\n  repoURL: https://git.example/fleet.git\npollInterval: 180\n";
    expect(() => loadGeneratorConfig({ FLOTILLA_CONFIG: "bare.yaml" }, read)).toThrow(
      'bare.yaml:3:1: pollInterval: "180" has no unit',
    );
    expect(() => loadGeneratorConfig({ FLOTILLA_FLEET_REPO: "/srv/fleet", FLOTILLA_POLL_INTERVAL: "0" }, read)).toThrow(
      /pollInterval: must be longer than 0/,
    );
  });

  it("skips the Redis eviction-policy check only when asked to with FLOTILLA_REDIS_SKIP_POLICY_CHECK=true", () => {
    const env = { FLOTILLA_FLEET_REPO: "/srv/fleet" };
    expect(loadGeneratorConfig(env, read).redis.skipPolicyCheck).toBe(false);
    expect(loadGeneratorConfig({ ...env, FLOTILLA_REDIS_SKIP_POLICY_CHECK: "true" }, read).redis.skipPolicyCheck).toBe(
      true,
    );
    expect(() => loadGeneratorConfig({ ...env, FLOTILLA_REDIS_SKIP_POLICY_CHECK: "yes" }, read)).toThrow(
      /environment: redis\.skipPolicyCheck: .*expected boolean/,
    );
  });

  it("defaults the poll interval to 3 minutes", () => {
    expect(loadGeneratorConfig({ FLOTILLA_FLEET_REPO: "/srv/fleet" }, read).pollIntervalMs).toBe(180_000);
  });

  it("names file, line and field for a bad file", () => {
    expect(() => loadGeneratorConfig({ FLOTILLA_CONFIG: "bad.yaml" }, read)).toThrow(
      [
        'bad.yaml:3:1: pollInterval: "soon" is not a duration; write a whole number with a unit, like 500ms, 30s, 3m, 1h, 1h30m or 7d',
        'bad.yaml:4:1: webhok: unknown field "webhok"',
      ].join("\n"),
    );
  });

  it("says which setting is missing when there is no file", () => {
    expect(() => loadGeneratorConfig({}, read)).toThrow(
      "environment: fleet.repoURL: Invalid input: expected string, received undefined",
    );
  });
});
