/** A refusal or failure from the API: the status, its stable code, words for a person and the field at fault. */
export class ApiRequestError extends Error {
  override readonly name = "ApiRequestError";
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const TOKEN_KEY = "flotilla.token";

/** The bearer token lives in session storage: it ends with the tab, never sits on disk. */
export const tokenStore = {
  get: (): string | undefined => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever the API answers 401: the shell shows the token prompt. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** The token was refused (by any request, the event stream's included): forget it and ask for another. */
export function signalUnauthorized(): void {
  tokenStore.clear();
  for (const l of unauthorizedListeners) l();
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export function queryString(query: Query | undefined): string {
  if (query === undefined) return "";
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === "") continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, item);
    else q.set(k, String(v));
  }
  const text = q.toString();
  return text === "" ? "" : `?${text}`;
}

export const API = "/api/v1";

/** A request to the API with the session's token; a 401 clears it and asks for another. */
export async function api<T>(
  path: string,
  options: { method?: string; query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const token = tokenStore.get();
  const headers: Record<string, string> = { accept: "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${API}${path}${queryString(options.query)}`, {
    method: options.method ?? "GET",
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => undefined)) as
    | { error?: string; message?: string; field?: string }
    | undefined;
  if (!res.ok) {
    if (res.status === 401) signalUnauthorized();
    throw new ApiRequestError(
      res.status,
      body?.error ?? `HTTP${res.status}`,
      body?.message ?? `${res.status} ${res.statusText}`,
      body?.field,
    );
  }
  return body as T;
}
