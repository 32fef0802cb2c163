export type FieldPath = readonly (string | number)[];

const IDENT = /^[A-Za-z_$][\w$-]*$/;

/** `["spec", "generators", 0, "list"]` → `spec.generators[0].list`; odd keys are quoted: `labels["a.b/c"]`. */
export function formatFieldPath(path: FieldPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
