import { summaryMessage } from "@flotilla/api-contract/summary-message";
import { useState } from "preact/hooks";
import { api } from "../api/client.ts";
import type { AppPage, Cluster } from "../api/types.ts";
import { Link } from "../shell/Link.tsx";
import { paths } from "../shell/routes.ts";
import { useResource } from "../shell/use-resource.ts";
import { StatusBadge } from "./StatusBadge.tsx";
import { useLiveReload } from "./use-live-reload.ts";

const PAGE = 200;

export function ClusterPage(props: { name: string }) {
  const path = `/clusters/${encodeURIComponent(props.name)}`;
  const [cursor, setCursor] = useState<string>();
  const cluster = useResource(path, (signal) => api<Cluster>(path, { signal }));
  const apps = useResource(`${path}#apps:${cursor ?? ""}`, (signal) =>
    api<AppPage>("/applications", { query: { cluster: [props.name], limit: PAGE, cursor }, signal }),
  );
  useLiveReload(
    (e) =>
      (e.event === "cluster" && e.data.cluster === props.name) ||
      ((e.event === "status" || e.event === "deleted") && e.data.cluster === props.name),
    () => {
      cluster.reload();
      apps.reload();
    },
    1000,
  );
  const c = cluster.data;
  return (
    <main class="page" data-testid="cluster-page">
      <p class="crumbs">
        <Link href="/">Fleet</Link> / cluster
      </p>
      <h1>{props.name}</h1>
      {cluster.error !== undefined && (
        <p class="error" role="alert">
          {cluster.error.message}
        </p>
      )}
      {c !== undefined && (
        <dl class="facts">
          <dt>Labels</dt>
          <dd>
            {Object.entries(c.labels).length === 0
              ? "none"
              : Object.entries(c.labels).map(([k, v]) => (
                  <Link
                    key={k}
                    class="label"
                    href={paths.matrix(new URLSearchParams({ selector: `${k}=${v}` }).toString())}
                  >
                    {k}={v}
                  </Link>
                ))}
          </dd>
          <dt>Mode</dt>
          <dd>{c.mode}</dd>
          <dt>Server</dt>
          <dd>
            <code>{c.server}</code>
          </dd>
          <dt>Reachability</dt>
          <dd>
            <span
              class={`badge tone-${c.reachability.status === "Reachable" ? "healthy" : c.reachability.status === "Unreachable" ? "error" : "unknown"}`}
            >
              {c.reachability.status}
            </span>{" "}
            <span class="muted">
              by {c.reachability.source}
              {c.reachability.at !== undefined && ` at ${c.reachability.at}`}
            </span>
            {c.reachability.message !== undefined && <div class="muted small">{c.reachability.message}</div>}
          </dd>
          <dt>Last heartbeat</dt>
          <dd>{c.lastHeartbeat ?? (c.mode === "agent" ? "never" : "— (pool mode: workers report reachability)")}</dd>
          <dt>Queue</dt>
          <dd>
            {c.queue.waiting} waiting · {c.queue.active} active · {c.queue.delayed} delayed · {c.queue.failed} failed
          </dd>
          <dt>Served by</dt>
          <dd>
            {c.servedBy === undefined ? <span class="error">nobody</span> : `${c.servedBy.kind} ${c.servedBy.id}`}
          </dd>
          <dt>Applications</dt>
          <dd>{c.applications}</dd>
          {c.removing !== undefined && (
            <>
              <dt>Removing</dt>
              <dd>
                since {c.removing.since}; {c.removing.remaining} Application(s) left
              </dd>
            </>
          )}
        </dl>
      )}
      <section>
        <h2>Applications</h2>
        {apps.error !== undefined && <p class="error">{apps.error.message}</p>}
        <table data-testid="cluster-applications">
          <thead>
            <tr>
              <th>ApplicationSet</th>
              <th>Application</th>
              <th>Status</th>
              <th>Revision</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {(apps.data?.items ?? []).map((a) => (
              <tr key={`${a.appSet}/${a.application}`}>
                <td>
                  <Link href={paths.appSet(a.appSet)}>{a.appSet}</Link>
                </td>
                <td>
                  <Link href={paths.application(a)}>{a.application}</Link>
                </td>
                <td>
                  <StatusBadge sync={a.sync} health={a.health} />
                </td>
                <td>
                  <code>{a.revision?.slice(0, 12) ?? ""}</code>
                </td>
                <td>{summaryMessage(a)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="actions">
          {cursor !== undefined && (
            <button type="button" class="ghost" onClick={() => setCursor(undefined)}>
              First page
            </button>
          )}
          {apps.data?.next !== undefined && (
            <button type="button" class="ghost" onClick={() => setCursor(apps.data?.next)}>
              Next page
            </button>
          )}
        </div>
      </section>
    </main>
  );
}
