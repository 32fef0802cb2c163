import type { Registry } from "prom-client";
import { API_REQUEST_SECONDS } from "./catalog.ts";
import { histogramOf } from "./instruments.ts";
import { type AnyFastify, METRICS_PATH } from "./serve.ts";

/** The route label of a request no route matched (a 404): its path would be a label value per typo or scan. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * Times every request a Fastify instance answers into `flotilla_api_request_seconds{method,route,status}`, the
 * route being its pattern (`/api/v1/appsets/:name`), never the path. Scrapes of `/metrics` are left out: they
 * would only measure the scraper.
 */
export function observeRequests(app: AnyFastify, registry: Registry): void {
  const seconds = histogramOf(registry, API_REQUEST_SECONDS);
  app.addHook("onResponse", async (req, reply) => {
    const route = (req.routeOptions.url as string | undefined) ?? UNMATCHED_ROUTE;
    if (route === METRICS_PATH) return;
    seconds.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
