import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GeneratorConfig } from "../config.ts";

export interface TestGeneratorConfigOptions {
  /** The fleet repository on disk; its `appsets/*.yaml` are the ApplicationSets. */
  fleetDir: string;
  redis: { url: string; prefix: string };
  /** Whether the generator renders and publishes bundles. */
  render: boolean;
  /** @defaultValue 4 */
  renderConcurrency?: number;
  /** @defaultValue "" */
  webhookSecret?: string;
}

/**
 * A generator service's configuration for tests: a webhook on any free port, a poll so rare that only pushes and
 * triggers run cycles, a fresh repository cache, and local repositories allowed (the tests' Git is on disk).
 */
export function testGeneratorConfig(options: TestGeneratorConfigOptions): GeneratorConfig {
  return {
    fleet: { repoURL: options.fleetDir, revision: "main", paths: ["appsets/*.yaml"] },
    pollIntervalMs: 3_600_000,
    // Rollouts move as soon as the workers report.
    rolloutTickMs: 300,
    webhook: { port: 0, secret: options.webhookSecret ?? "" },
    redis: { url: options.redis.url, prefix: options.redis.prefix, skipPolicyCheck: false },
    repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-repos-")),
    render: { enabled: options.render, concurrency: options.renderConcurrency ?? 4 },
    allowLocalRepos: true,
  };
}

/** A GitHub push webhook for the main branch of `repository`, signed with `secret`, sent to the generator's port. */
export function pushWebhook(options: { port: number; secret: string; repository: string }): Promise<Response> {
  const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: options.repository } }));
  const signature = `sha256=${createHmac("sha256", options.secret).update(body).digest("hex")}`;
  return fetch(`http://127.0.0.1:${options.port}/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature },
    body,
  });
}
