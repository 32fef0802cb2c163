import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialsFromFile } from "./credentials-config.ts";
import { RepoCache } from "./repo-cache.ts";
import { FixtureRepo } from "./testing/fixture-repo.ts";

// No sshd in the test bed: an `ssh` on PATH stands in for it. It records how git called it (the key, the
// options) and runs the remote command locally, as sshd would on the server, so the fetch is real.
const fakeSsh = (log: string) => `#!/bin/sh
printf '%s\\n' "$@" >> '${log}'
for last; do :; done
exec sh -c "$last"
`;

describe("RepoCache over SSH with a key from the credentials file", () => {
  const root = mkdtempSync(join(tmpdir(), "flotilla-git-ssh-"));
  const log = join(root, "ssh.log");
  let origin: FixtureRepo;
  let commit: string;
  const path = process.env.PATH;

  beforeAll(() => {
    mkdirSync(join(root, "bin"));
    // git runs with a scrubbed environment, so the log's path is written into the script.
    writeFileSync(join(root, "bin", "ssh"), fakeSsh(log));
    chmodSync(join(root, "bin", "ssh"), 0o755);
    process.env.PATH = `${join(root, "bin")}:${path}`;
    writeFileSync(log, "");
    origin = new FixtureRepo(join(root, "origin"));
    commit = origin.commit({ "apps/web/cm.yaml": "kind: ConfigMap\n" }, "initial");
    writeFileSync(join(root, "id_ed25519"), "not read by the fake ssh\n", { mode: 0o600 });
    writeFileSync(
      join(root, "credentials.yaml"),
      `- urlPrefix: ssh://git@git.example/
  kind: ssh-key
  privateKeyFile: ${join(root, "id_ed25519")}
  knownHostsFile: ${join(root, "known_hosts")}
`,
    );
  });

  afterAll(() => {
    process.env.PATH = path;
    rmSync(root, { recursive: true, force: true });
  });

  it("fetches with the configured key only, in batch mode, refusing unknown hosts", async () => {
    const cache = new RepoCache({
      cacheDir: join(root, "cache"),
      logger: pino({ level: "silent" }),
      credentials: credentialsFromFile(join(root, "credentials.yaml"), {}),
    });
    const url = `ssh://git@git.example${origin.path}`;
    expect(await cache.resolveRevision(url, "main")).toBe(commit);
    const args = readFileSync(log, "utf8").split("\n");
    expect(args).toContain(join(root, "id_ed25519"));
    expect(args).toEqual(expect.arrayContaining(["IdentitiesOnly=yes", "BatchMode=yes", "StrictHostKeyChecking=yes"]));
    expect(args).toContain(`UserKnownHostsFile=${join(root, "known_hosts")}`);
    expect(args).toContain("git@git.example");
  });

  it("uses no key for a repository no rule matches", async () => {
    writeFileSync(log, "");
    const cache = new RepoCache({
      cacheDir: join(root, "cache-other"),
      logger: pino({ level: "silent" }),
      credentials: credentialsFromFile(join(root, "credentials.yaml"), {}),
    });
    expect(await cache.resolveRevision(`ssh://git@other.example${origin.path}`, "main")).toBe(commit);
    const args = readFileSync(log, "utf8");
    expect(args).toContain("git@other.example");
    expect(args).not.toContain("id_ed25519");
  });
});
