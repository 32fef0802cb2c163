import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ClusterName, errorResponses, ObjectName } from "@flotilla/api-contract/schemas/common";
import { storeKeys } from "@flotilla/store";
import { Type } from "typebox";
import type { ApiDeps } from "../deps.ts";
import { badRequest } from "../errors.ts";
import { EventHub } from "../events/event-hub.ts";
import { formatSse, parsePosition } from "../events/fleet-event.ts";

export interface EventRouteOptions {
  /** A comment line this often keeps proxies from closing an idle stream. @defaultValue 15 s */
  heartbeatMs?: number;
  /** The `retry:` hint: how long a client waits before reconnecting. @defaultValue 3 s */
  retryMs?: number;
  /** A client this far behind (bytes not yet taken) is dropped; it reconnects with Last-Event-ID. @defaultValue 1 MiB */
  maxBufferedBytes?: number;
}

const DESCRIPTION = `Server-sent events of status changes. \`event: status\` (an Application's summary, read back when a
worker wrote its status), \`event: deleted\` (it left the cluster), \`event: cluster\` (a registry change, with the
record as it is now), \`event: generation\` (an ApplicationSet's generation record was written), \`event: resync\`
(the Last-Event-ID is older than what is kept: re-read the fleet). Each event's \`id\` resumes the stream when sent
back as \`Last-Event-ID\`; a comment line every 15 s keeps it open.`;

/** `GET /events`: the fleet's changes as server-sent events, one shared reader for every client of this process. */
export function eventRoutes(deps: ApiDeps, options: EventRouteOptions = {}): FastifyPluginAsyncTypebox {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const retryMs = options.retryMs ?? 3_000;
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  return async (app) => {
    const hub = new EventHub({
      redis: deps.redis,
      keys: storeKeys(deps.prefix),
      store: deps.store,
      status: deps.status,
      log: deps.log.child({ component: "events" }),
    });
    // Open streams would hold the server's close forever: they end first.
    app.addHook("preClose", async () => {
      await hub.stop();
    });

    app.get(
      "/events",
      {
        config: { scope: "read" },
        schema: {
          tags: ["status"],
          summary: "server-sent events of status, cluster and generation changes",
          description: DESCRIPTION,
          security: [{ bearer: [] }],
          querystring: Type.Object(
            {
              cluster: Type.Optional(
                Type.Array(ClusterName, { maxItems: 1000, description: "only these clusters (repeatable)" }),
              ),
              appset: Type.Optional(ObjectName),
            },
            { additionalProperties: false },
          ),
          headers: Type.Object({
            "last-event-id": Type.Optional(
              Type.String({ maxLength: 100, description: "an event id this stream sent: resume after it" }),
            ),
          }),
          response: {
            200: {
              description: "an event stream (text/event-stream)",
              content: { "text/event-stream": { schema: Type.String() } },
            },
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const header = request.headers["last-event-id"];
        const from = header === undefined || header === "" ? undefined : parsePosition(header);
        if (header !== undefined && header !== "" && from === undefined) {
          throw badRequest(
            "Last-Event-ID: not an id this stream sent; expected two stream ids like 1733054400000-0,1733054400000-1",
            "headers.last-event-id",
          );
        }
        await hub.ready();
        const { cluster = [], appset } = request.query;
        const log = request.log.child({ ...(appset !== undefined && { appset }), clusters: cluster });

        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        raw.write(`retry: ${retryMs}\n\n`);
        let closed = false;
        let unsubscribe: (() => void) | undefined;
        const heartbeat = setInterval(() => raw.write(": keep-alive\n\n"), heartbeatMs);
        const end = () => {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          unsubscribe?.();
          if (!raw.writableEnded) raw.end();
          log.debug({ clients: hub.size }, "event stream closed");
        };
        request.raw.on("close", end);
        raw.on("close", end);
        try {
          unsubscribe = await hub.subscribe(
            {
              filter: { clusters: new Set(cluster), ...(appset !== undefined && { appSet: appset }) },
              send: (e) => {
                if (closed) return true;
                raw.write(formatSse(e));
                // A client that does not read is cut loose rather than buffered without bound.
                return raw.writableLength <= maxBuffered;
              },
              close: end,
            },
            from,
          );
        } catch (err) {
          log.warn({ err }, "event stream could not start");
          end();
          return;
        }
        if (closed) unsubscribe();
        else log.debug({ clients: hub.size, resumed: from !== undefined }, "event stream opened");
      },
    );
  };
}
