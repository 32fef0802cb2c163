import { useCallback, useState } from "preact/hooks";
import { ApiRequestError, api } from "../api/client.ts";
import type { AppDetail, HistoryEntry, RevisionAt } from "../api/types.ts";
import { Link } from "../shell/Link.tsx";
import { paths } from "../shell/routes.ts";
import { useIsAdmin } from "../shell/session.ts";
import { useResource } from "../shell/use-resource.ts";
import { instantOf, resourceParts, resourceSync } from "./resources.ts";
import { HealthBadge, StatusBadge } from "./StatusBadge.tsx";
import { useLiveReload } from "./use-live-reload.ts";

const short = (rev: string | undefined) => (rev === undefined ? "—" : rev.slice(0, 12));

export function ApplicationPage(props: { cluster: string; application: string; appSet: string | undefined }) {
  const { cluster, application, appSet } = props;
  const base = `/applications/${encodeURIComponent(cluster)}/${encodeURIComponent(application)}`;
  const key = `${base}?${appSet ?? ""}`;
  const detail = useResource(key, (signal) => api<AppDetail>(base, { query: { appset: appSet }, signal }));
  const history = useResource(`${key}#history`, (signal) =>
    api<{ items: HistoryEntry[] }>(`${base}/history`, { query: { appset: appSet, limit: 50 }, signal }),
  );
  const reload = useCallback(() => {
    detail.reload();
    history.reload();
  }, [detail.reload, history.reload]);
  useLiveReload(
    (e) =>
      (e.event === "status" || e.event === "deleted") &&
      e.data.cluster === cluster &&
      e.data.application === application &&
      (appSet === undefined || e.data.appSet === appSet),
    reload,
  );

  const d = detail.data;
  return (
    <main class="page" data-testid="application-page">
      <p class="crumbs">
        <Link href="/">Fleet</Link> / {d !== undefined && <Link href={paths.appSet(d.appSet)}>{d.appSet}</Link>} /{" "}
        <Link href={paths.cluster(cluster)}>{cluster}</Link>
      </p>
      <h1>
        {application} <StatusBadge sync={d?.status?.sync} health={d?.status?.health} />
      </h1>
      {detail.error !== undefined && (
        <p class="error" role="alert">
          {detail.error.message}
        </p>
      )}
      {d !== undefined && (
        <>
          <AppActions base={base} appSet={d.appSet} pending={d.syncRequest} onDone={reload} />
          <dl class="facts">
            <dt>ApplicationSet</dt>
            <dd>{d.appSet}</dd>
            <dt>Cluster</dt>
            <dd>{d.cluster}</dd>
            <dt>Revision</dt>
            <dd>
              <code>{d.status?.revision ?? "—"}</code>
            </dd>
            <dt>Fleet commit</dt>
            <dd>
              <code>{d.status?.fleetRevision ?? "—"}</code>
            </dd>
            <dt>Last sync</dt>
            <dd>{d.status?.lastSyncAt ?? "never"}</dd>
            {d.status?.syncMessage !== undefined && (
              <>
                <dt>Sync message</dt>
                <dd>{d.status.syncMessage}</dd>
              </>
            )}
            {d.status?.healthMessage !== undefined && (
              <>
                <dt>Health</dt>
                <dd>{d.status.healthMessage}</dd>
              </>
            )}
          </dl>
          {d.status?.lastError !== undefined && (
            <section>
              <h2>Last error</h2>
              <p>
                <b>{d.status.lastError.reason}</b> at {d.status.lastError.at}
                {d.status.lastError.retrying ? " (retrying)" : ""}
              </p>
              <pre class="error-text" data-testid="last-error">
                {d.status.lastError.message}
              </pre>
            </section>
          )}
          <section>
            <h2>Resources</h2>
            <table data-testid="resources">
              <thead>
                <tr>
                  <th>Kind</th>
                  <th>Namespace</th>
                  <th>Name</th>
                  <th>Health</th>
                  <th>Sync</th>
                  <th>Last action</th>
                  <th>Message</th>
                </tr>
              </thead>
              <tbody>
                {(d.status?.resources ?? []).map((r) => {
                  const p = resourceParts(r.id);
                  const sync = resourceSync(r);
                  return (
                    <tr key={r.id}>
                      <td>{p.kind}</td>
                      <td>{p.namespace}</td>
                      <td>{p.name}</td>
                      <td>
                        <HealthBadge health={r.health} />
                      </td>
                      <td>
                        <span class={`badge tone-${sync === "Synced" ? "healthy" : "outofsync"}`}>{sync}</span>
                      </td>
                      <td>{r.hook !== undefined ? `${r.action} (${r.hook} hook)` : r.action}</td>
                      <td>{r.message ?? ""}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          <section>
            <h2>Conditions</h2>
            {d.conditions.length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <ul data-testid="conditions">
                {d.conditions.map((c) => (
                  <li key={`${c.type}:${c.message}`}>
                    <b>{c.type}</b>: {c.message} {c.at !== undefined && <span class="muted">({c.at})</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {d.diffs.length > 0 && (
            <section>
              <h2>Desired vs live</h2>
              {d.diffs.map((diff) => (
                <div key={diff.id} class="diff" data-testid="diff">
                  <h3>
                    <code>{diff.id}</code>
                  </h3>
                  <table>
                    <thead>
                      <tr>
                        <th>Field</th>
                        <th>Desired (Git)</th>
                        <th>Live (cluster)</th>
                      </tr>
                    </thead>
                    <tbody>
                      {(
                        diff.differences ?? diff.paths.map((path) => ({ path, desired: undefined, live: undefined }))
                      ).map((f) => (
                        <tr key={f.path}>
                          <td>
                            <code>{f.path}</code>
                          </td>
                          <td class="desired">
                            <pre>{f.desired ?? "(absent)"}</pre>
                          </td>
                          <td class="live">
                            <pre>{f.live ?? "(unset)"}</pre>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ))}
            </section>
          )}
        </>
      )}
      <section>
        <h2>History</h2>
        <RevisionAtForm base={base} appSet={appSet} />
        {history.error !== undefined && <p class="error">{history.error.message}</p>}
        <table data-testid="history">
          <thead>
            <tr>
              <th>At</th>
              <th>Result</th>
              <th>Revision</th>
              <th>Fleet commit</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {(history.data?.items ?? []).map((h) => (
              <tr key={h.jobId + h.at}>
                <td>{h.at}</td>
                <td>{h.result}</td>
                <td>
                  <code title={h.revision}>{short(h.revision)}</code>
                </td>
                <td>
                  <code title={h.fleetRevision}>{short(h.fleetRevision)}</code>
                </td>
                <td>{h.message ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}

function AppActions(props: { base: string; appSet: string; pending: AppDetail["syncRequest"]; onDone: () => void }) {
  const admin = useIsAdmin();
  const [prune, setPrune] = useState(false);
  const [message, setMessage] = useState<string>();
  if (!admin) return null;
  const act = async (what: "sync" | "refresh") => {
    try {
      await api(`${props.base}/${what}`, {
        method: "POST",
        query: { appset: props.appSet },
        body: what === "sync" ? { prune } : undefined,
      });
      setMessage(what === "sync" ? `Sync requested${prune ? " with prune" : ""}.` : "Refresh requested.");
      props.onDone();
    } catch (err) {
      setMessage(err instanceof ApiRequestError ? `${err.code}: ${err.message}` : String(err));
    }
  };
  return (
    <div class="actions" data-testid="app-actions">
      <button type="button" onClick={() => void act("sync")}>
        Sync
      </button>
      <label class="inline">
        <input type="checkbox" checked={prune} onChange={(e) => setPrune(e.currentTarget.checked)} /> prune (delete what
        left Git)
      </label>
      <button type="button" class="ghost" onClick={() => void act("refresh")}>
        Refresh
      </button>
      {props.pending !== undefined && (
        <span class="muted">
          sync requested at {props.pending.at}
          {props.pending.prune ? " (prune)" : ""}
        </span>
      )}
      {message !== undefined && (
        <span role="status" class="muted">
          {message}
        </span>
      )}
    </div>
  );
}

function RevisionAtForm(props: { base: string; appSet: string | undefined }) {
  const [time, setTime] = useState("");
  const [answer, setAnswer] = useState<string>();
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        const at = instantOf(time);
        if (at === undefined) {
          setAnswer("Pick a date and time.");
          return;
        }
        api<RevisionAt>(`${props.base}/history`, { query: { appset: props.appSet, at } }).then(
          (r) =>
            setAnswer(
              r.revision === null
                ? `Nothing of it ran at ${r.at}.`
                : `At ${r.at} revision ${r.revision} was running (since ${r.since ?? "?"}).`,
            ),
          (err: Error) => setAnswer(err.message),
        );
      }}
    >
      <label>
        Which revision ran at
        <input
          type="datetime-local"
          step={1}
          aria-label="Revision at time"
          value={time}
          onInput={(e) => setTime(e.currentTarget.value)}
        />
      </label>
      <button type="submit">Ask</button>
      {answer !== undefined && (
        <output data-testid="revision-at" class="muted">
          {answer}
        </output>
      )}
    </form>
  );
}
