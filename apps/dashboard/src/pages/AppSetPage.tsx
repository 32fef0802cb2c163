import { useCallback, useState } from "preact/hooks";
import { ApiRequestError, api } from "../api/client.ts";
import type { AppSetDetail, HoldDecision } from "../api/types.ts";
import { Link } from "../shell/Link.tsx";
import { paths } from "../shell/routes.ts";
import { useIsAdmin } from "../shell/session.ts";
import { useResource } from "../shell/use-resource.ts";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { PreviewPanel } from "./PreviewPanel.tsx";
import { useLiveReload } from "./use-live-reload.ts";

export function AppSetPage(props: { name: string }) {
  const path = `/appsets/${encodeURIComponent(props.name)}`;
  const detail = useResource(path, (signal) => api<AppSetDetail>(path, { signal }));
  useLiveReload((e) => e.event === "generation" && e.data.appSet === props.name, detail.reload);
  const d = detail.data;
  const generators = d?.spec?.spec?.generators;
  return (
    <main class="page" data-testid="appset-page">
      <p class="crumbs">
        <Link href="/">Fleet</Link> / ApplicationSet
      </p>
      <h1>{props.name}</h1>
      {detail.error !== undefined && (
        <p class="error" role="alert">
          {detail.error.message}
        </p>
      )}
      {d !== undefined && (
        <>
          <p>
            <Link href={paths.matrix(new URLSearchParams({ appSet: d.name }).toString())}>
              Its Applications in the matrix
            </Link>
          </p>
          <dl class="facts">
            <dt>Source file</dt>
            <dd>
              <code>{d.file ?? "—"}</code>
            </dd>
            <dt>Fleet commit</dt>
            <dd>
              <code>{d.commit}</code>
              {d.specCommit !== undefined && d.specCommit !== d.commit && (
                <span class="muted"> (spec read at {d.specCommit})</span>
              )}
            </dd>
            <dt>Last generation</dt>
            <dd>{d.lastGeneration}</dd>
            <dt>Applications</dt>
            <dd>
              {d.counts.applications} ({d.counts.creates} created, {d.counts.updates} updated, {d.counts.deletes}{" "}
              deleted, {d.counts.unchanged} unchanged, {d.counts.errors} errors)
            </dd>
            {d.frozen && (
              <>
                <dt>Frozen</dt>
                <dd>its last generation failed; the one before stays in force</dd>
              </>
            )}
            {d.removed && (
              <>
                <dt>Removed</dt>
                <dd>it left Git; its Applications are held until released or dismissed</dd>
              </>
            )}
          </dl>
          {(d.generatorError ?? d.lastGenerationRecord.generatorError) !== undefined && (
            <pre class="error-text">{d.generatorError ?? d.lastGenerationRecord.generatorError}</pre>
          )}
          <section>
            <h2>Generators</h2>
            {generators === undefined ? (
              <p class="muted">Not known (the ApplicationSet as read from Git is not stored).</p>
            ) : (
              <pre class="code" data-testid="generators">
                {JSON.stringify(generators, null, 2)}
              </pre>
            )}
          </section>
          <section>
            <h2>Element errors</h2>
            {d.lastGenerationRecord.errors.length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <table data-testid="element-errors">
                <thead>
                  <tr>
                    <th>Element</th>
                    <th>Application</th>
                    <th>Field</th>
                    <th>Parameters</th>
                    <th>Error</th>
                  </tr>
                </thead>
                <tbody>
                  {d.lastGenerationRecord.errors.map((e) => (
                    <tr key={e.element}>
                      <td>{e.element}</td>
                      <td>{e.application ?? ""}</td>
                      <td>{e.field ?? ""}</td>
                      <td>
                        <code>{e.params}</code>
                      </td>
                      <td>
                        {e.message}
                        {e.source !== undefined && <div class="muted small">{e.source}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {d.lastGenerationRecord.errorsTruncated && <p class="muted">More errors than are kept; the first shown.</p>}
          </section>
          <HeldDeletions detail={d} onDone={detail.reload} />
          {d.rollout !== undefined && <RolloutSteps rollout={d.rollout} />}
          <PreviewPanel initial={d.spec === undefined ? "" : JSON.stringify(d.spec, null, 2)} />
        </>
      )}
    </main>
  );
}

function HeldDeletions(props: { detail: AppSetDetail; onDone: () => void }) {
  const admin = useIsAdmin();
  const [asking, setAsking] = useState<"release" | "dismiss">();
  const [message, setMessage] = useState<string>();
  const { hold, pendingDecision, name } = props.detail;
  const decide = useCallback(
    async (action: "release" | "dismiss") => {
      setAsking(undefined);
      try {
        const answer = await api<HoldDecision>(`/appsets/${encodeURIComponent(name)}/${action}`, { method: "POST" });
        setMessage(answer.message);
        props.onDone();
      } catch (err) {
        setMessage(err instanceof ApiRequestError ? `${err.code}: ${err.message}` : String(err));
      }
    },
    [name, props.onDone],
  );
  return (
    <section data-testid="held-deletions">
      <h2>Held deletions</h2>
      {hold === undefined ? (
        <p class="muted">None.</p>
      ) : (
        <>
          <p>
            <b>{hold.kind === "removed" ? "The ApplicationSet left Git" : "A shrink"}</b>: {hold.reason} (since{" "}
            {hold.since}, commit <code>{hold.commit.slice(0, 12)}</code>)
          </p>
          <ul>
            {hold.applications.map((a) => (
              <li key={`${a.application}@${a.cluster ?? ""}`}>
                {a.application}
                {a.cluster !== undefined && <> on {a.cluster}</>}
              </li>
            ))}
          </ul>
          {admin && (
            <div class="actions">
              <button type="button" class="danger" onClick={() => setAsking("release")}>
                Release
              </button>
              <button type="button" class="ghost" onClick={() => setAsking("dismiss")}>
                Dismiss
              </button>
            </div>
          )}
        </>
      )}
      {pendingDecision !== undefined && (
        <p class="muted">
          {pendingDecision.action} of {pendingDecision.applications} Application(s) requested at {pendingDecision.at}
          {"; "}the generator's next cycle carries it out.
        </p>
      )}
      {message !== undefined && <p role="status">{message}</p>}
      <ConfirmDialog
        open={asking !== undefined}
        title={asking === "release" ? "Release the held deletion?" : "Dismiss the held deletion?"}
        confirmLabel={asking === "release" ? "Delete them" : "Keep them"}
        onCancel={() => setAsking(undefined)}
        onConfirm={() => asking !== undefined && void decide(asking)}
      >
        <p>
          {asking === "release"
            ? `The generator's next cycle deletes ${hold?.applications.length ?? 0} Application(s) and their objects on the clusters.`
            : `The ${hold?.applications.length ?? 0} held Application(s) are kept and the hold is dropped; nothing is deleted.`}
        </p>
      </ConfirmDialog>
    </section>
  );
}

function RolloutSteps(props: { rollout: NonNullable<AppSetDetail["rollout"]> }) {
  const r = props.rollout;
  return (
    <section data-testid="rollout">
      <h2>
        Rollout <span class="badge">{r.phase}</span>
      </h2>
      <p class="muted">commit {r.commit.slice(0, 12)}</p>
      {r.condition !== undefined && (
        <p class="error">
          {r.condition.reason}: {r.condition.application} on {r.condition.cluster}: {r.condition.message}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>Step</th>
            <th>Change</th>
            <th>State</th>
            <th>Applications</th>
          </tr>
        </thead>
        <tbody>
          {r.steps.map((s, i) => (
            <tr key={`${s.index ?? "rest"}-${s.change}`}>
              <td>{s.index === null ? "unmatched" : s.index + 1}</td>
              <td>{s.change}</td>
              <td>
                {s.state}
                {s.promoted === true ? " (promoted)" : ""}
              </td>
              <td>
                {r.applications
                  .filter((a) => a.step === i)
                  .map((a) => `${a.application}@${a.cluster} ${a.state}`)
                  .join(", ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
