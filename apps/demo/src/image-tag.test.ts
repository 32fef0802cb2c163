import { describe, expect, it } from "vitest";
import { withImageTag } from "./image-tag.ts";

const manifest = `spec:
  template:
    spec:
      containers:
        - name: guestbook
          image: registry.example/guestbook:1.4.2
          ports: [{ containerPort: 8080 }]
        - name: sidecar
          image: "registry.example/guestbook-proxy:2.0.0"
`;

describe("withImageTag", () => {
  it.each([
    [
      "a bare image line",
      "          image: registry.example/guestbook:1.4.2\n",
      "          image: registry.example/guestbook:1.5.0\n",
    ],
    [
      "a quoted image",
      `  image: "registry.example/guestbook:1.4.2"\n`,
      `  image: "registry.example/guestbook:1.5.0"\n`,
    ],
    ["a list item", "  - image: registry.example/guestbook:v1\n", "  - image: registry.example/guestbook:1.5.0\n"],
  ])("changes the tag of %s", (_name, before, after) => {
    expect(withImageTag(before, "registry.example/guestbook", "1.5.0")).toBe(after);
  });

  it("changes only the named repository, not one that starts with the same name", () => {
    const out = withImageTag(manifest, "registry.example/guestbook", "1.5.0");
    expect(out).toContain("image: registry.example/guestbook:1.5.0\n");
    expect(out).toContain('image: "registry.example/guestbook-proxy:2.0.0"');
    expect(out.split("\n").length).toBe(manifest.split("\n").length);
  });

  it("refuses when the image is not in the text, rather than committing nothing", () => {
    expect(() => withImageTag(manifest, "registry.example/other", "1.5.0")).toThrow(
      'no "image: registry.example/other:<tag>" line to change',
    );
  });

  it.each([["1.5.0\nimage: evil:1"], [""], ["-starts-with-dash"], ["a".repeat(129)], ["tag with space"]])(
    "refuses the hostile tag %j",
    (tag) => {
      expect(() => withImageTag(manifest, "registry.example/guestbook", tag)).toThrow(/is not a valid tag/);
    },
  );

  it("treats regular-expression characters in the repository literally", () => {
    expect(() => withImageTag(manifest, "registry.example/guest.*", "1.5.0")).toThrow(/no "image/);
  });
});
