import { parseYamlDocuments } from "@flotilla/core";
import { LineCounter, parseAllDocuments } from "yaml";
import { convertApplicationSet } from "./application-set.ts";
import { type ClusterRegistration, convertClusterSecret, SECRET_TYPE_LABEL } from "./cluster-secret.ts";
import { DocumentContext } from "./document-context.ts";
import { describe, isMap, type JsonMap } from "./fields.ts";
import type { ImportIssue, ImportNote } from "./issues.ts";
import { SourceMap } from "./source-map.ts";

export interface ImportInput {
  /** How messages name the input (a path, or `-` for stdin). */
  file: string;
  text: string;
}

/** A converted ApplicationSet, with where its Argo CD document starts. */
export interface ImportedApplicationSet {
  name: string;
  file: string;
  line: number;
  appSet: JsonMap;
}

export interface ImportResult {
  appSets: ImportedApplicationSet[];
  clusters: ClusterRegistration[];
  /** Every reason a document did not convert; each document with an issue is left out of the lists above. */
  issues: ImportIssue[];
  notes: ImportNote[];
  /** Non-empty documents read. */
  documents: number;
  /** Documents that did not convert (each has at least one issue). */
  failed: number;
}

/**
 * Converts every Argo CD document of one (multi-document) YAML text: ApplicationSets into Flotilla ApplicationSets,
 * cluster Secrets into registrations. Pure: text in, data out. A document that does not convert is reported with
 * `file:line:column` and left out; the others still convert.
 */
export function importArgoCd(input: ImportInput): ImportResult {
  const result: ImportResult = { appSets: [], clusters: [], issues: [], notes: [], documents: 0, failed: 0 };
  const parsed = parseYamlDocuments(input.text, input.file);
  if (parsed.issues.length > 0) {
    result.issues.push(...parsed.issues.map((i) => ({ ...i, kind: "invalid" as const })));
    result.failed = 1;
    return result;
  }
  // Parsed a second time for the nodes' positions; the first parse has already refused what is too big or deep.
  const lines = new LineCounter();
  const docs = parseAllDocuments(input.text, { lineCounter: lines, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const source of parsed.documents) {
    const doc = list[source.index];
    if (doc === undefined) continue;
    result.documents++;
    const ctx = new DocumentContext(input.file, new SourceMap({ doc, lines, text: input.text }));
    const line = source.locate([]).line;
    const data = source.data;
    if (!isMap(data)) {
      ctx.invalid([], `expected an Argo CD ApplicationSet or cluster Secret, got ${describe(data)}`);
    } else if (isKind(data, "argoproj.io/", "ApplicationSet")) {
      if (data["apiVersion"] !== "argoproj.io/v1alpha1") {
        ctx.invalid(["apiVersion"], `expected argoproj.io/v1alpha1, got ${describe(data["apiVersion"])}`);
      } else {
        const appSet = convertApplicationSet(ctx, data);
        if (appSet !== undefined && ctx.issues.length === 0) {
          result.appSets.push({
            name: String((appSet["metadata"] as JsonMap)["name"]),
            file: input.file,
            line,
            appSet,
          });
        }
      }
    } else if (data["apiVersion"] === "v1" && data["kind"] === "Secret") {
      const type =
        isMap(data["metadata"]) && isMap(data["metadata"]["labels"])
          ? data["metadata"]["labels"][SECRET_TYPE_LABEL]
          : undefined;
      if (type === "cluster") {
        const cluster = convertClusterSecret(ctx, data);
        if (cluster !== undefined && ctx.issues.length === 0)
          result.clusters.push({ ...cluster, file: input.file, line });
      } else {
        ctx.unsupported(
          ["metadata", "labels"],
          `a Secret without ${SECRET_TYPE_LABEL}: cluster (${type === undefined ? "none" : describe(type)}): only cluster Secrets convert (repository credentials are given to Flotilla's generator and workers, see the README)`,
        );
      }
    } else if (isKind(data, "argoproj.io/", "Application") || isKind(data, "argoproj.io/", "AppProject")) {
      ctx.unsupported(
        ["kind"],
        `an Argo CD ${String(data["kind"])} does not convert: Flotilla's Applications come from ApplicationSets (write a list generator with one element) and it has no AppProjects`,
      );
    } else {
      ctx.invalid(
        ["kind"],
        `expected an Argo CD ApplicationSet (argoproj.io/v1alpha1) or cluster Secret (v1), got ${describe(data["apiVersion"])} ${describe(data["kind"])}`,
      );
    }
    if (ctx.issues.length > 0) result.failed++;
    result.issues.push(...ctx.issues);
    result.notes.push(...ctx.notes);
  }
  return result;
}

function isKind(data: JsonMap, group: string, kind: string): boolean {
  return typeof data["apiVersion"] === "string" && data["apiVersion"].startsWith(group) && data["kind"] === kind;
}

/**
 * Every input in order, as one result. Flotilla names ApplicationSets fleet-wide (Argo CD per namespace), so a
 * second ApplicationSet of the same name, in any input, does not convert.
 */
export function importArgoCdFiles(inputs: readonly ImportInput[]): ImportResult {
  const all: ImportResult = { appSets: [], clusters: [], issues: [], notes: [], documents: 0, failed: 0 };
  const first = new Map<string, ImportedApplicationSet>();
  const firstCluster = new Map<string, ClusterRegistration>();
  for (const input of inputs) {
    const one = importArgoCd(input);
    all.documents += one.documents;
    all.failed += one.failed;
    all.issues.push(...one.issues);
    all.notes.push(...one.notes);
    for (const appSet of one.appSets) {
      const seen = first.get(appSet.name);
      if (seen === undefined) {
        first.set(appSet.name, appSet);
        all.appSets.push(appSet);
        continue;
      }
      all.failed++;
      all.issues.push({
        kind: "unsupported",
        file: appSet.file,
        line: appSet.line,
        column: 1,
        path: "metadata.name",
        message: `a second ApplicationSet named "${appSet.name}" (the first is at ${seen.file}:${seen.line}); Flotilla's ApplicationSet names are unique across the fleet: rename one`,
      });
    }
    for (const cluster of one.clusters) {
      const seen = firstCluster.get(cluster.name);
      if (seen === undefined) {
        firstCluster.set(cluster.name, cluster);
        all.clusters.push(cluster);
        continue;
      }
      all.failed++;
      all.issues.push({
        kind: "unsupported",
        file: cluster.file,
        line: cluster.line,
        column: 1,
        path: "data.name",
        message: `a second cluster Secret named "${cluster.name}" (the first is at ${seen.file}:${seen.line})`,
      });
    }
  }
  return all;
}
