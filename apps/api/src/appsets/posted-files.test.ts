import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { readPostedFiles } from "./posted-files.ts";

const appSet = (name: string) => `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators: [ { list: { elements: [ { app: a } ] } } ]
  template:
    metadata: { name: "{{app}}" }
    spec:
      source: { repoURL: https://git.example/x.git, path: "apps/{{app}}" }
      destination: { cluster: c, namespace: x }
`;

function refusal(files: { name: string; content: string }[]): ApiError {
  try {
    readPostedFiles(files);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("readPostedFiles", () => {
  it("returns every ApplicationSet of every file, located", () => {
    const found = readPostedFiles([
      { name: "one.yaml", content: `${appSet("a")}---\n${appSet("b")}` },
      { name: "two.yaml", content: appSet("c") },
    ]);
    expect(found.map((f) => [f.appSet.metadata.name, f.file, f.line])).toEqual([
      ["a", "one.yaml", 1],
      ["b", "one.yaml", 12],
      ["c", "two.yaml", 1],
    ]);
  });

  it("refuses the request naming every problem and the first file at fault", () => {
    const err = refusal([
      { name: "ok.yaml", content: appSet("a") },
      { name: "bad.yaml", content: appSet("b").replace("kind: ApplicationSet", "kind: Nope") },
    ]);
    expect(err.status).toBe(400);
    expect(err.field).toBe("body.files[1].content");
    expect(err.message).toMatch(/^bad\.yaml:2:1: kind: expected "ApplicationSet"/);
  });

  it("caps the listed problems and says how many more there are", () => {
    const broken = Array.from({ length: 25 }, () => "a: [").join("\n---\n");
    const lines = refusal([{ name: "many.yaml", content: broken }]).message.split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[20]).toMatch(/^\(and \d+ more\)$/);
  });

  it("refuses files that hold no ApplicationSet", () => {
    expect(refusal([{ name: "empty.yaml", content: "# nothing\n" }])).toMatchObject({
      field: "body.files",
      message: "the posted files hold no ApplicationSet",
    });
  });
});
