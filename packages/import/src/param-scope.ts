import { ParamNameError } from "./conversion-error.ts";

/**
 * What the ApplicationSet's generators produce, as far as it changes how a parameter name converts: the git
 * generators' `pathParamPrefix`es (Argo CD's goTemplate nests path params under `path`, Flotilla names them flat
 * as fasttemplate does) and whether every parameter comes from clusters or git directories (then a name those
 * never produce, such as Argo CD's cluster `project`, is known to be missing).
 */
export interface ParamScope {
  /** `pathParamPrefix` of each git generator; `""` for none. */
  gitPrefixes: readonly string[];
  /** True when some generator yields free-form keys (list elements, git files). */
  openKeys: boolean;
  /** True when a clusters generator is among the generators. */
  clusters: boolean;
}

const PATH_FIELDS = new Set(["basename", "basenameNormalized", "filename", "filenameNormalized", "segments"]);

/**
 * The Flotilla parameter key for a goTemplate field path (`.path.basename` is `["path", "basename"]`,
 * `index .path.segments 1` is `["path", "segments", 1]`). Throws a ParamNameError saying why when Flotilla has no
 * such parameter.
 */
export function keyOfGoPath(path: readonly (string | number)[], scope: ParamScope): string {
  if (path.length === 0) {
    throw new ParamNameError("the whole parameter map (`.`) has no Flotilla form; name a parameter");
  }
  for (const prefix of scope.gitPrefixes) {
    const head = prefix === "" ? ["path"] : [...prefix.split("."), "path"];
    if (!head.every((segment, i) => path[i] === segment)) continue;
    const base = head.join(".");
    const rest = path.slice(head.length);
    if (rest.length === 0) {
      throw new ParamNameError(
        `in Argo CD's goTemplate .${base} is the map of path parameters; write .${base}.path for the path itself`,
      );
    }
    const [field, index, ...more] = rest;
    if (field === "path" && rest.length === 1) return base;
    if (field === "segments" && typeof index === "number" && more.length === 0) return `${base}[${index}]`;
    if (typeof field === "string" && PATH_FIELDS.has(field) && rest.length === 1) return `${base}.${field}`;
    throw new ParamNameError(`git generators have no path parameter .${path.join(".")}`);
  }
  checkKnown(path, scope);
  return path.join(".");
}

/** The Flotilla key for a fasttemplate name, which Flotilla spells the same; refuses names it never produces. */
export function keyOfFastName(name: string, scope: ParamScope): string {
  checkKnown([name], scope);
  return name;
}

function checkKnown(path: readonly (string | number)[], scope: ParamScope): void {
  if (path.length === 1 && path[0] === "project" && scope.clusters && !scope.openKeys) {
    throw new ParamNameError(
      "Argo CD's cluster parameter project (the cluster Secret's project) has no Flotilla equivalent: Flotilla has no AppProjects",
    );
  }
}

const SIMPLE_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RESERVED = new Set(["true", "false", "null", "undefined", "this", "else", "as"]);
const INDEXED_KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*\[\d{1,6}\]$/;

/**
 * How a flat parameter key is written in a Flotilla template: dotted names as they are (`metadata.labels.env`),
 * Argo CD's `path[0]` as it is (Flotilla's templates read it), anything else (`metadata.labels.app.kubernetes.io/name`,
 * a segment starting with a digit) as one Handlebars literal segment `[…]`, which names the flat key exactly.
 */
export function handlebarsPath(key: string): string {
  if (INDEXED_KEY.test(key)) return key;
  const segments = key.split(".");
  if (segments.every((s) => SIMPLE_SEGMENT.test(s) && !RESERVED.has(s))) return key;
  if (/[[\]\s{}]/.test(key) || key === "") {
    throw new ParamNameError(`parameter name ${JSON.stringify(key)} cannot be written in a Flotilla template`);
  }
  return `[${key}]`;
}
