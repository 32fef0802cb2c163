/** A previewed Application as a table row; fields a hostile or unexpected document lacks read as empty. */
export interface PreviewRow {
  name: string;
  cluster: string;
  namespace: string;
  source: string;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function previewRows(applications: readonly unknown[]): PreviewRow[] {
  return applications.map((a) => {
    const app = obj(a);
    const spec = obj(app.spec);
    const destination = obj(spec.destination);
    const source = obj(spec.source);
    const where = [str(source.repoURL), str(source.path) || str(source.chart)].filter((s) => s !== "").join(" ");
    return {
      name: str(obj(app.metadata).name),
      cluster: str(destination.cluster) || str(destination.name) || str(destination.server),
      namespace: str(destination.namespace),
      source: str(source.targetRevision) === "" ? where : `${where} @ ${str(source.targetRevision)}`,
    };
  });
}
