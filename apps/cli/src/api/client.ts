import { ApiRequestError, ServerUnreachableError } from "./errors.ts";

export interface ApiClientOptions {
  /** Base URL of the API, e.g. `http://127.0.0.1:8080`. */
  server: string;
  token: string | undefined;
  /** Per request. @defaultValue 30 s */
  timeoutMs?: number;
}

export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/**
 * The API over HTTP, for the CLI. Every failure becomes a typed error with its exit code: the server does not
 * answer (3), the token is refused (4), the request is refused (2), the server failed (1). The token goes in the
 * Authorization header only, never in a URL or an error message.
 */
export class ApiClient {
  readonly server: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: ApiClientOptions) {
    this.server = options.server.replace(/\/+$/, "");
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>("GET", path, { ...(query !== undefined && { query }) });
  }

  /** Every item of a list the API answers a page at a time (`limit`, `cursor`, `next`), pages of `pageSize`. */
  async getAll<T>(path: string, query: Query = {}, pageSize = 500): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page: { items: T[]; next?: string } = await this.get(path, { ...query, limit: pageSize, cursor });
      items.push(...page.items);
      cursor = page.next;
    } while (cursor !== undefined);
    return items;
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, { body: body ?? {} });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, { body });
  }

  delete<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>("DELETE", path, { ...(query !== undefined && { query }) });
  }

  /** An open response, for the event stream: the caller reads `body`. */
  async stream(path: string, query?: Query, signal?: AbortSignal): Promise<Response> {
    const response = await this.#fetch("GET", path, { ...(query !== undefined && { query }) }, signal, false);
    if (!response.ok) throw await requestError(response);
    return response;
  }

  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const response = await this.#fetch(method, path, options, undefined, true);
    if (!response.ok) throw await requestError(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  async #fetch(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown },
    signal: AbortSignal | undefined,
    timed: boolean,
  ): Promise<Response> {
    const url = `${this.server}${path}${queryString(options.query)}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const signals = [signal, timed ? AbortSignal.timeout(this.#timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    try {
      return await fetch(url, {
        method,
        headers,
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
        ...(signals.length > 0 && { signal: AbortSignal.any(signals) }),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new ServerUnreachableError(`cannot reach the Flotilla API at ${this.server}: ${why}`);
    }
  }
}

async function requestError(response: Response): Promise<ApiRequestError> {
  const text = await response.text().catch(() => "");
  let body: { error?: unknown; message?: unknown; field?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not the API's error body (a proxy's page, say): its status is all there is to go on.
  }
  const message = typeof body.message === "string" ? body.message : `HTTP ${response.status} ${response.statusText}`;
  return new ApiRequestError({
    status: response.status,
    code: typeof body.error === "string" ? body.error : `HTTP${response.status}`,
    message,
    ...(typeof body.field === "string" && { field: body.field }),
  });
}

function queryString(query: Query | undefined): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
