import { request } from "node:https";

/** Enough to talk to one test API server without a client library: its URL, its CA and a bearer token. */
export interface ApiEndpoint {
  apiUrl: string;
  caPem: string;
  token: string;
}

export interface ApiResponse {
  status: number;
  body: string;
}

export interface ApiRequestOptions {
  method?: string;
  body?: unknown;
  contentType?: string;
  /** The whole request is abandoned after this long; a paused API server never answers. */
  timeoutMs?: number;
}

/** One HTTPS request to a test API server; rejects on network errors and time-outs, never on HTTP status. */
export function apiRequest(endpoint: ApiEndpoint, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse> {
  const url = new URL(path, endpoint.apiUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        ca: endpoint.caPem,
        headers: {
          authorization: `Bearer ${endpoint.token}`,
          accept: "application/json",
          ...(payload === undefined ? {} : { "content-type": options.contentType ?? "application/json" }),
        },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
