import { useState } from "preact/hooks";
import { ApiRequestError, api } from "../api/client.ts";
import type { DiffItem, PreviewItem } from "../api/types.ts";
import { previewRows } from "./preview-rows.ts";

const FILE = "pasted.yaml";

/**
 * Paste or edit an ApplicationSet and see what it would produce against the live registry (preview) and what a
 * generation would change against what is stored (diff); nothing is stored.
 */
export function PreviewPanel(props: { initial: string }) {
  const [text, setText] = useState(props.initial);
  const [result, setResult] = useState<{ preview: PreviewItem[]; diff: DiffItem[] }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const body = { files: [{ name: FILE, content: text }] };
      const [preview, diff] = await Promise.all([
        api<{ items: PreviewItem[] }>("/appsets/preview", { method: "POST", body }),
        api<{ items: DiffItem[] }>("/appsets/diff", { method: "POST", body }),
      ]);
      setResult({ preview: preview.items, diff: diff.items });
    } catch (err) {
      setResult(undefined);
      setError(err instanceof ApiRequestError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section data-testid="preview">
      <h2>Preview</h2>
      <p class="muted">
        Paste an ApplicationSet (YAML or JSON) and preview the Applications it would produce on the clusters registered
        now, and the changes a generation would make. Nothing is stored.
      </p>
      <textarea
        aria-label="ApplicationSet to preview"
        rows={14}
        spellcheck={false}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <div class="actions">
        <button type="button" onClick={() => void run()} disabled={busy || text.trim() === ""}>
          {busy ? "Previewing…" : "Preview"}
        </button>
      </div>
      {error !== undefined && (
        <pre class="error-text" role="alert">
          {error}
        </pre>
      )}
      {result?.preview.map((item) => (
        <div key={`${item.appSet}:${item.line}`} data-testid="preview-result">
          <h3>
            {item.appSet}{" "}
            <span class="muted">
              ({item.file}:{item.line})
            </span>
          </h3>
          {item.generatorError !== undefined && <pre class="error-text">{item.generatorError}</pre>}
          <table data-testid="preview-applications">
            <thead>
              <tr>
                <th>Application</th>
                <th>Cluster</th>
                <th>Namespace</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {previewRows(item.applications).map((r) => (
                <tr key={`${r.name}@${r.cluster}`}>
                  <td>{r.name}</td>
                  <td>{r.cluster}</td>
                  <td>{r.namespace}</td>
                  <td>
                    <code>{r.source}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {item.errors.length > 0 && (
            <ul class="error">
              {item.errors.map((e) => (
                <li key={e.element}>
                  element {e.element}
                  {e.field !== undefined && ` (${e.field})`}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
      {result?.diff.map((d) => (
        <div key={`diff:${d.appSet}:${d.line}`} data-testid="diff-result">
          <h3>
            Changes against what is stored: {d.appSet}
            {!d.stored && <span class="muted"> (new: nothing stored yet)</span>}
          </h3>
          <table>
            <thead>
              <tr>
                <th>Change</th>
                <th>Application</th>
                <th>Cluster</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {d.creates.map((c) => (
                <tr key={`c:${c.application}@${c.cluster}`}>
                  <td>create</td>
                  <td>{c.application}</td>
                  <td>{c.cluster}</td>
                  <td />
                </tr>
              ))}
              {d.updates.map((u) => (
                <tr key={`u:${u.application}@${u.cluster}`}>
                  <td>update</td>
                  <td>{u.application}</td>
                  <td>{u.cluster}</td>
                  <td>
                    <code>{u.fields.join(", ")}</code>
                  </td>
                </tr>
              ))}
              {d.deletes.map((x) => (
                <tr key={`d:${x.application}@${x.cluster ?? ""}`}>
                  <td>delete</td>
                  <td>{x.application}</td>
                  <td>{x.cluster ?? ""}</td>
                  <td>{x.held ? "held by the deletion guard" : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">
            {d.unchanged} unchanged
            {d.held !== undefined && ` · ${d.held.count} deletion(s) would be held: ${d.held.reason}`}
          </p>
        </div>
      ))}
    </section>
  );
}
