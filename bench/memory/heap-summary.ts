// Summarises a V8 heap snapshot (.heapsnapshot, e.g. from the memory benchmark's BENCH_HEAP_SNAPSHOT=1): self size
// by node type (code, strings, objects …) and the largest holders by constructor or string/code name, so the
// question "what holds the heap" has an answer without opening DevTools.
// Run: node bench/memory/heap-summary.ts <file.heapsnapshot> [top=25]
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: node bench/memory/heap-summary.ts <file.heapsnapshot> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const width = fields.length;
const typeAt = fields.indexOf("type");
const nameAt = fields.indexOf("name");
const sizeAt = fields.indexOf("self_size");

const byType = new Map<string, { count: number; bytes: number }>();
const byName = new Map<string, { count: number; bytes: number }>();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = types[snap.nodes[i + typeAt] ?? 0] ?? "?";
  const size = snap.nodes[i + sizeAt] ?? 0;
  total += size;
  const t = byType.get(type) ?? { count: 0, bytes: 0 };
  t.count++;
  t.bytes += size;
  byType.set(type, t);
  // Strings are grouped by type only: their text would make every one its own row.
  const raw = snap.strings[snap.nodes[i + nameAt] ?? 0] ?? "";
  const name =
    type === "string" || type === "concatenated string" || type === "sliced string"
      ? type
      : `${type}:${raw.slice(0, 60)}`;
  const n = byName.get(name) ?? { count: 0, bytes: 0 };
  n.count++;
  n.bytes += size;
  byName.set(name, n);
}
const mib = (b: number) => (b / 2 ** 20).toFixed(2).padStart(8);
console.log(`${file}: ${mib(total)} MiB in ${snap.nodes.length / width} nodes`);
console.log("by type:");
for (const [type, t] of [...byType].sort((a, b) => b[1].bytes - a[1].bytes)) {
  console.log(`  ${mib(t.bytes)} MiB ${String(t.count).padStart(9)}  ${type}`);
}
console.log(`top ${top} by name:`);
for (const [name, n] of [...byName].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)) {
  console.log(`  ${mib(n.bytes)} MiB ${String(n.count).padStart(9)}  ${name}`);
}
