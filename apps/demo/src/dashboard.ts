/**
 * The dashboard's address when the API serves one: `GET /` answering 200 with an HTML page. An API without a
 * dashboard (404, JSON, or no answer in time) gives undefined, and the demo prints no dashboard line.
 */
export async function dashboardUrl(apiUrl: string): Promise<string | undefined> {
  const url = `${apiUrl}/`;
  try {
    const res = await fetch(url, { headers: { accept: "text/html" }, signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    const html = res.status === 200 && (res.headers.get("content-type") ?? "").startsWith("text/html");
    return html ? url : undefined;
  } catch {
    return undefined;
  }
}
