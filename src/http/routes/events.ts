import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { operatorErrorResponses, problemAnswer, retryAfterHeader } from '../schemas/responses.js';
import { GatewayError } from '../../core/errors.js';
import { streamedEvents, type StreamedEvent } from '../../core/events.js';
import type { EventHub } from '../../observability/event-hub.js';
import { operatorSurface } from '../plugins/auth.js';
import { openEventStream } from '../sse.js';

const stream = z
  .string()
  .describe(
    'text/event-stream: one message per router event (`id`, `event` = its name, `data` = JSON with name, at, ' +
      'instance and payload), and a comment line as heartbeat when idle.',
  )
  .meta({
    example:
      'id: 7\nevent: failover\ndata: {"name":"failover","at":"2026-11-25T10:00:00.000Z","instance":"5f0c…",' +
      '"payload":{"capability":"stock-quote","from":"polygon","to":"finnhub","reason":"timeout","requestId":"…"}}\n\n',
  });

/** Bytes a subscriber may leave unread before it is disconnected. */
const maxBufferedBytes = 256 * 1024;

/** Each event is serialized once, however many streams it goes to. */
const frames = new WeakMap<StreamedEvent, string>();
function frame(event: StreamedEvent): string {
  let text = frames.get(event);
  if (text === undefined) {
    const { id, ...body } = event;
    text = `id: ${id}\nevent: ${event.name}\ndata: ${JSON.stringify(body)}\n\n`;
    frames.set(event, text);
  }
  return text;
}

export interface EventsRoutesOptions {
  hub: EventHub;
  heartbeatMs: number;
  maxStreams: number;
  maxStreamsPerClient: number;
}

export const eventsRoutes: FastifyPluginAsyncZod<EventsRoutesOptions> = async (
  app,
  { hub, heartbeatMs, maxStreams, maxStreamsPerClient },
) => {
  operatorSurface(app);
  const open = new Set<ServerResponse>();
  const perClient = new Map<string, number>();
  // Streams never end on their own: end them before the server closes, or close would wait for ever.
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

  app.get(
    '',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Live router events as server-sent events (failover, breaker, health, quota, cooldown)',
        description:
          'With Redis, events from every gateway instance. Reconnect with Last-Event-ID to get what was missed ' +
          '(the last 500 events). `events=failover,breakerOpened` keeps only those.',
        tags: ['operations'],
        querystring: z.strictObject({
          events: z
            .string()
            .optional()
            .describe(`Comma-separated event names; default all of: ${streamedEvents.join(', ')}.`),
        }),
        produces: ['text/event-stream'],
        response: {
          200: stream,
          400: problemAnswer('An unknown event name.'),
          429: problemAnswer('Too many event streams open; close one first.', retryAfterHeader),
          ...operatorErrorResponses(),
        },
      },
    },
    async (request, reply) => {
      const wanted = request.query.events?.split(',').map((name) => name.trim());
      const unknown = wanted?.filter((name) => !(streamedEvents as readonly string[]).includes(name)) ?? [];
      if (unknown.length > 0) {
        throw new GatewayError(
          'GW_BAD_INPUT',
          `events: unknown event ${unknown.join(', ')} (known: ${streamedEvents.join(', ')})`,
        );
      }
      const client = request.client.id;
      const held = perClient.get(client) ?? 0;
      if (open.size >= maxStreams || held >= maxStreamsPerClient) {
        const whose = held >= maxStreamsPerClient ? `this client's ${maxStreamsPerClient}` : `all ${maxStreams}`;
        throw new GatewayError('GW_CLIENT_RATE_LIMITED', `too many event streams open (${whose}); close one first`, {
          retryAfterSeconds: 5,
        });
      }
      const lastEventId = Number(request.headers['last-event-id']);
      const response = openEventStream(request, reply, heartbeatMs);
      open.add(response);
      perClient.set(client, held + 1);
      const unsubscribe = hub.subscribe(
        (event) => {
          if (wanted && !wanted.includes(event.name)) return;
          // A client that stops reading would make its buffer grow without end: drop it; it reconnects with
          // Last-Event-ID and gets what it missed from the replay buffer.
          if (response.writableLength > maxBufferedBytes) response.destroy();
          else response.write(frame(event));
        },
        Number.isFinite(lastEventId) ? lastEventId : undefined,
      );
      response.on('close', () => {
        unsubscribe();
        open.delete(response);
        const left = (perClient.get(client) ?? 1) - 1;
        if (left > 0) perClient.set(client, left);
        else perClient.delete(client);
      });
      return reply;
    },
  );
};
