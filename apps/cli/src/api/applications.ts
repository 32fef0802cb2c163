/** The path of one Application's routes; names are URL-encoded, whatever they hold. */
export function appPath(cluster: string, application: string, verb?: "sync" | "refresh" | "history"): string {
  const base = `/api/v1/applications/${encodeURIComponent(cluster)}/${encodeURIComponent(application)}`;
  return verb === undefined ? base : `${base}/${verb}`;
}
