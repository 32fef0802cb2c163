import { describe, expect, it } from "vitest";
import { envName, exportLines, shellWord } from "./exports.ts";

describe("exportLines", () => {
  it("prints PATH, the API, its token, one KUBECONFIG_<CLUSTER> per cluster and KUBECONFIG joining them all", () => {
    expect(
      exportLines({
        server: "http://127.0.0.1:41234",
        token: "flt_abc-_123",
        kubeconfigs: [
          { cluster: "dev", file: "/tmp/d/dev.kubeconfig" },
          { cluster: "staging", file: "/tmp/d/staging.kubeconfig" },
          { cluster: "prod", file: "/tmp/d/prod.kubeconfig" },
        ],
        binDirs: ["/opt/node/bin", "/src/flotilla/node_modules/.bin"],
      }),
    ).toEqual([
      'export PATH=/opt/node/bin:/src/flotilla/node_modules/.bin:"$PATH"',
      "export FLOTILLA_SERVER=http://127.0.0.1:41234",
      "export FLOTILLA_TOKEN=flt_abc-_123",
      "export KUBECONFIG_DEV=/tmp/d/dev.kubeconfig KUBECONFIG_STAGING=/tmp/d/staging.kubeconfig KUBECONFIG_PROD=/tmp/d/prod.kubeconfig",
      "export KUBECONFIG=/tmp/d/dev.kubeconfig:/tmp/d/staging.kubeconfig:/tmp/d/prod.kubeconfig",
    ]);
  });

  it.each([
    { cluster: "eu-west.prod", name: "KUBECONFIG_EU_WEST_PROD" },
    { cluster: "dev", name: "KUBECONFIG_DEV" },
  ])("names $cluster's variable $name", ({ cluster, name }) => {
    expect(envName(cluster)).toBe(name);
  });

  it.each([
    { text: "/tmp/plain/path", word: "/tmp/plain/path" },
    { text: "/tmp/with space", word: "'/tmp/with space'" },
    { text: "it's", word: "'it'\\''s'" },
    { text: "$(rm -rf /)", word: "'$(rm -rf /)'" },
  ])("quotes $text as $word", ({ text, word }) => {
    expect(shellWord(text)).toBe(word);
  });
});
