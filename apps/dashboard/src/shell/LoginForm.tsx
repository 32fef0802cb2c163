import { useState } from "preact/hooks";

/** The token prompt: shown with no token in this tab's session, or when the API answered 401. */
export function LoginForm(props: { error: string | undefined; onToken: (token: string) => void }) {
  const [token, setToken] = useState("");
  return (
    <main class="login">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim() !== "") props.onToken(token.trim());
        }}
      >
        <h1>Flotilla</h1>
        <p>
          Sign in with an API token (<code>flotilla token create NAME --scope read|admin</code>). It is kept in this
          tab's session storage only.
        </p>
        <label>
          Token
          <input
            type="password"
            aria-label="API token"
            autocomplete="off"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        {props.error !== undefined && (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
