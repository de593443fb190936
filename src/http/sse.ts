import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Takes the response over from Fastify and opens a text/event-stream on it: no caching or buffering on the way (nginx
 * included), a reconnect delay for EventSource, and a comment line every `heartbeatMs` so idle proxies keep the
 * connection. The heartbeat stops when the response closes. Used by /v1/events and /v1/stream/sse.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply, heartbeatMs: number): ServerResponse {
  const response = reply.raw;
  reply.hijack();
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no', // nginx: do not buffer the stream
    'x-request-id': request.id,
  });
  response.write('retry: 3000\n\n');
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), heartbeatMs);
  response.on('close', () => clearInterval(heartbeat));
  return response;
}
