/**
 * A reader of the Prometheus text exposition format (0.0.4), for tests that scrape a real endpoint and for tools
 * that read one: prom-client writes the format but does not read it.
 */

export interface Sample {
  /** The series name as written (`flotilla_app_reconcile_seconds_bucket`, not the family's). */
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
  /** Epoch ms, when the line gives one. */
  timestamp?: number;
}

export interface FamilyHeader {
  help?: string;
  type?: string;
}

export interface Scrape {
  /** `# HELP` and `# TYPE` by family name. */
  families: ReadonlyMap<string, FamilyHeader>;
  samples: readonly Sample[];
}

/** A line that is not the format, with where: `line:col` of the text and what was expected there. */
export class PrometheusTextError extends Error {
  override readonly name = "PrometheusTextError";
  readonly line: number;
  readonly column: number;

  constructor(line: number, column: number, problem: string) {
    super(`${line}:${column}: ${problem}`);
    this.line = line;
    this.column = column;
  }
}

const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parsePrometheusText(text: string): Scrape {
  const families = new Map<string, FamilyHeader>();
  const samples: Sample[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const at = index + 1;
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      readComment(line, at, families);
      return;
    }
    samples.push(new SampleReader(line, at).read());
  });
  return { families, samples };
}

function readComment(line: string, at: number, families: Map<string, FamilyHeader>): void {
  const match = /^#\s+(HELP|TYPE)\s+/.exec(line);
  if (match === null) return;
  const rest = line.slice(match[0].length);
  const name = NAME.exec(rest)?.[0];
  if (name === undefined) throw new PrometheusTextError(at, match[0].length + 1, "expected a metric name");
  const after = rest.slice(name.length).replace(/^[ \t]/, "");
  const header = families.get(name) ?? {};
  if (match[1] === "HELP") header.help = unescapeHelp(after);
  else {
    const type = after.trim();
    if (!TYPES.has(type)) {
      throw new PrometheusTextError(
        at,
        match[0].length + name.length + 2,
        `expected a type (${[...TYPES].join(", ")}), found ${JSON.stringify(type)}`,
      );
    }
    header.type = type;
  }
  families.set(name, header);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_m, c: string) => (c === "n" ? "\n" : "\\"));
}

/** One sample line, read left to right so an error can say at which column it stopped. */
class SampleReader {
  readonly #line: string;
  readonly #at: number;
  #pos = 0;

  constructor(line: string, at: number) {
    this.#line = line;
    this.#at = at;
  }

  read(): Sample {
    const name = this.#match(NAME, "a metric name");
    const labels = this.#peek() === "{" ? this.#labels() : {};
    this.#spaces(true);
    const value = this.#number(this.#word(), "a sample value (a number, +Inf, -Inf or NaN)");
    this.#spaces(false);
    const sample: Sample = { name, labels, value };
    if (this.#pos < this.#line.length) {
      const start = this.#pos;
      const word = this.#word();
      if (!/^-?\d+$/.test(word)) this.#fail(start, `expected a timestamp in ms, found ${JSON.stringify(word)}`);
      sample.timestamp = Number(word);
      this.#spaces(false);
      if (this.#pos < this.#line.length) this.#fail(this.#pos, "expected the end of the line");
    }
    return sample;
  }

  #labels(): Record<string, string> {
    const labels: Record<string, string> = {};
    this.#pos++; // {
    for (;;) {
      this.#spaces(false);
      if (this.#peek() === "}") break;
      const start = this.#pos;
      const name = this.#match(LABEL_NAME, "a label name or }");
      if (Object.hasOwn(labels, name)) this.#fail(start, `label ${name} given twice`);
      this.#spaces(false);
      this.#expect("=");
      this.#spaces(false);
      // Defined, not assigned: a label named __proto__ is a label, not the object's prototype.
      Object.defineProperty(labels, name, {
        value: this.#quoted(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.#spaces(false);
      if (this.#peek() === ",") {
        this.#pos++;
        continue;
      }
      if (this.#peek() !== "}") this.#fail(this.#pos, "expected , or } after a label value");
      break;
    }
    this.#pos++; // }
    return labels;
  }

  #quoted(): string {
    this.#expect('"');
    let value = "";
    while (this.#pos < this.#line.length) {
      const c = this.#line[this.#pos]!;
      if (c === '"') {
        this.#pos++;
        return value;
      }
      if (c === "\\") {
        const next = this.#line[this.#pos + 1];
        if (next === "n") value += "\n";
        else if (next === "\\" || next === '"') value += next;
        else this.#fail(this.#pos, 'expected \\\\, \\" or \\n after a backslash in a label value');
        this.#pos += 2;
        continue;
      }
      value += c;
      this.#pos++;
    }
    return this.#fail(this.#pos, 'expected the closing " of a label value');
  }

  #number(word: string, what: string): number {
    // Prometheus reads values with Go's ParseFloat, which takes these in any case (prom-client writes "Nan").
    const special = word.toLowerCase();
    if (special === "+inf" || special === "inf") return Number.POSITIVE_INFINITY;
    if (special === "-inf") return Number.NEGATIVE_INFINITY;
    if (special === "nan") return Number.NaN;
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(word)) {
      this.#fail(this.#pos - word.length, `expected ${what}, found ${JSON.stringify(word)}`);
    }
    return Number(word);
  }

  #word(): string {
    const start = this.#pos;
    while (this.#pos < this.#line.length && !/[ \t]/.test(this.#line[this.#pos]!)) this.#pos++;
    return this.#line.slice(start, this.#pos);
  }

  #spaces(required: boolean): void {
    const start = this.#pos;
    while (/[ \t]/.test(this.#line[this.#pos] ?? "")) this.#pos++;
    if (required && this.#pos === start) this.#fail(this.#pos, "expected a space before the sample value");
  }

  #match(pattern: RegExp, what: string): string {
    const found = pattern.exec(this.#line.slice(this.#pos))?.[0];
    if (found === undefined) this.#fail(this.#pos, `expected ${what}`);
    this.#pos += found.length;
    return found;
  }

  #expect(char: string): void {
    if (this.#peek() !== char) this.#fail(this.#pos, `expected ${char}`);
    this.#pos++;
  }

  #peek(): string | undefined {
    return this.#line[this.#pos];
  }

  #fail(pos: number, problem: string): never {
    throw new PrometheusTextError(this.#at, pos + 1, problem);
  }
}

/** The samples of a series name whose labels include every one given. */
export function samplesOf(scrape: Scrape, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return scrape.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample matching, undefined when none does; more than one is an error (be more precise). */
export function sampleValue(
  scrape: Scrape,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const found = samplesOf(scrape, name, labels);
  if (found.length > 1) {
    throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}; name more labels`);
  }
  return found[0]?.value;
}
