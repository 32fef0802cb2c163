import { useEffect, useState } from "preact/hooks";
import { ApiRequestError, api, onUnauthorized, tokenStore } from "../api/client.ts";
import type { WhoAmI } from "../api/types.ts";
import { fleetEvents, type StreamState } from "../live/event-stream.ts";
import { MatrixPage } from "../matrix/MatrixPage.tsx";
import { ApplicationPage } from "../pages/ApplicationPage.tsx";
import { AppSetPage } from "../pages/AppSetPage.tsx";
import { ClusterPage } from "../pages/ClusterPage.tsx";
import { Link } from "./Link.tsx";
import { LoginForm } from "./LoginForm.tsx";
import { useLocation } from "./navigation.ts";
import { matchRoute } from "./routes.ts";
import { SessionContext } from "./session.ts";
import { applyTheme, initialTheme, type Theme } from "./theme.ts";

type Auth = { state: "checking" } | { state: "signed-out"; error?: string } | { state: "signed-in"; who: WhoAmI };

async function whoAmI(): Promise<Auth> {
  try {
    return { state: "signed-in", who: await api<WhoAmI>("/whoami") };
  } catch (err) {
    const message =
      err instanceof ApiRequestError && err.status === 401
        ? "The API refused that token: it is unknown or revoked."
        : `Cannot reach the API: ${(err as Error).message}`;
    return { state: "signed-out", error: message };
  }
}

export function App() {
  const [auth, setAuth] = useState<Auth>(() =>
    tokenStore.get() === undefined ? { state: "signed-out" } : { state: "checking" },
  );
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [stream, setStream] = useState<StreamState>(fleetEvents.state);

  useEffect(() => applyTheme(theme, { save: false }), [theme]);
  useEffect(() => {
    if (auth.state === "checking") void whoAmI().then(setAuth);
  }, [auth.state]);
  useEffect(
    () => onUnauthorized(() => setAuth({ state: "signed-out", error: "The API refused the token: sign in again." })),
    [],
  );
  useEffect(() => fleetEvents.onState(setStream), []);
  useEffect(() => {
    if (auth.state === "signed-in") fleetEvents.start();
    else fleetEvents.stop();
  }, [auth.state]);

  if (auth.state === "checking") return <p class="loading">Checking the token…</p>;
  if (auth.state === "signed-out") {
    return (
      <LoginForm
        error={auth.error}
        onToken={(token) => {
          tokenStore.set(token);
          setAuth({ state: "checking" });
        }}
      />
    );
  }
  const toggleTheme = () => {
    const next = theme === "dark" ? "light" : "dark";
    applyTheme(next, { save: true });
    setTheme(next);
  };
  return (
    <SessionContext.Provider value={auth.who}>
      <header class="topbar">
        <Link href="/" class="brand">
          Flotilla
        </Link>
        <nav aria-label="Main">
          <Link href="/">Fleet matrix</Link>
        </nav>
        <span class="spacer" />
        <span data-testid="stream-status" class={`stream stream-${stream}`} title="the API's event stream">
          {stream}
        </span>
        <span class="who" title="the token's name and scope">
          {auth.who.name} ({auth.who.scope})
        </span>
        <button
          type="button"
          class="ghost"
          onClick={toggleTheme}
          aria-label="Toggle dark theme"
          aria-pressed={theme === "dark"}
        >
          {theme === "dark" ? "☀ Light" : "☾ Dark"}
        </button>
        <button
          type="button"
          class="ghost"
          onClick={() => {
            tokenStore.clear();
            setAuth({ state: "signed-out" });
          }}
        >
          Sign out
        </button>
      </header>
      <Page />
    </SessionContext.Provider>
  );
}

function Page() {
  const loc = useLocation();
  const route = matchRoute(loc.pathname);
  const query = new URLSearchParams(loc.search);
  switch (route.page) {
    case "matrix":
      return <MatrixPage search={loc.search} />;
    case "application":
      return (
        <ApplicationPage
          cluster={route.cluster}
          application={route.application}
          appSet={query.get("appset") ?? undefined}
        />
      );
    case "appset":
      return <AppSetPage name={route.name} />;
    case "cluster":
      return <ClusterPage name={route.name} />;
    default:
      return (
        <main class="page">
          <h1>Not found</h1>
          <p>
            No dashboard page at <code>{route.path}</code>. <Link href="/">Back to the fleet matrix</Link>
          </p>
        </main>
      );
  }
}
