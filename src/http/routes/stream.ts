import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { StreamConfig } from '../../config/schema.js';
import { GatewayError, streamChannels, type StreamChannel } from '../../core/index.js';
import type { StreamEngine } from '../../stream/engine.js';
import { goingAwayCloseCode, type StreamClient, type StreamSession } from '../../stream/session.js';
import { slowConsumerCloseCode, type SubscriberSink } from '../../stream/subscriber.js';
import { channelCapability, updateMessage } from '../../stream/topics.js';
import { keySubprotocolPrefix, mayRead } from '../plugins/auth.js';
import { gatewayProblem } from '../plugins/error-handler.js';
import { problemAnswer } from '../schemas/responses.js';
import { symbolListSchema, symbolSchema } from '../schemas/params.js';
import { openEventStream } from '../sse.js';

/** The subprotocol the server selects when a client offers it (a browser offering its key must offer this too). */
const protocolName = 'mdg.v1';
/** Largest client message: a subscribe with a few hundred symbols. Larger frames close the socket (1009). */
const maxMessageBytes = 16 * 1024;
/** A slow consumer is sent its close frame, then cut after this if it does not read it (it is not reading). */
const slowCloseGraceMs = 1_000;

const channelSchema = z
  .enum(streamChannels)
  .describe('stocks.quote: StockQuote updates; crypto.price: CryptoPrice (USD).');

function clientMessageSchema(maxSymbols: number) {
  const fields = {
    id: z.string().max(64).optional().describe('Echoed in the answer, to match it to the request.'),
    channel: channelSchema,
    symbols: z.array(symbolSchema).min(1).max(maxSymbols),
  };
  return z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('subscribe'), ...fields }),
    z.strictObject({ op: z.literal('unsubscribe'), ...fields }),
  ]);
}

const protocolDescription = `
Upgrade to a WebSocket (docs/streaming.md). The client key travels in \`X-API-Key\` or \`Authorization: Bearer\`, or,
from a browser, as the subprotocol \`${keySubprotocolPrefix}<key>\` offered beside \`${protocolName}\`
(\`new WebSocket(url, ['${protocolName}', '${keySubprotocolPrefix}' + key])\`); never in the URL.

Client → server, JSON text frames:
\`{"op":"subscribe","channel":"stocks.quote","symbols":["AAPL","MSFT"],"id":"1"}\`,
\`{"op":"unsubscribe","channel":"stocks.quote","symbols":["MSFT"]}\`.

Server → client: \`{"op":"welcome","channels":[…],"limits":{…}}\` once; \`{"op":"subscribed","id":"1",
"channel":"stocks.quote","symbols":["AAPL","MSFT"]}\` (everything followed on the channel now) and \`unsubscribed\`
alike; \`{"op":"update","channel":"stocks.quote","symbol":"AAPL","source":"finnhub","via":"stream","data":{StockQuote}}\`
for every change (the latest known at once on subscribe); \`{"op":"error","id":"1","problem":{type,title,status,detail,
instance,requestId}}\` for a refused message (400 bad input, 403 scope, 429 a limit), the stream staying open.
WebSocket pings every \`stream.pingIntervalMs\`; close codes: 1001 the gateway is shutting down, 1009 a message too
large, 1013 a slow consumer (conflated for \`stream.slowConsumerMs\`).`;

const sseExample =
  'retry: 3000\n\nevent: update\ndata: {"op":"update","channel":"stocks.quote","symbol":"AAPL","source":"finnhub",' +
  '"via":"stream","data":{"symbol":"AAPL","price":189.9,"change":1.29,"changePercent":0.68,"open":188.1,' +
  '"high":190.05,"low":187.9,"previousClose":188.61,"volume":51234667,"currency":"USD",' +
  '"asOf":"2026-11-24T20:59:58.000Z"}}\n\n';

/**
 * @fastify/websocket, registered on the root before the auth hook (app.ts): its own onRequest hook must run first, or
 * an upgrade refused by auth (401) would leave the raw socket open. On close, every live stream (WebSocket and SSE)
 * is closed with 1001 before the listener closes.
 */
export async function registerWebSocket(app: FastifyInstance, engine: StreamEngine): Promise<void> {
  await app.register(websocket, {
    options: {
      maxPayload: maxMessageBytes,
      perMessageDeflate: false,
      // Select our protocol, never the key-carrying one, so the key is not echoed back in the handshake.
      handleProtocols: (offered) => (offered.has(protocolName) ? protocolName : false),
    },
    preClose(done) {
      engine.sessions.closeAll(goingAwayCloseCode, 'the gateway is shutting down');
      this.websocketServer.close(() => done());
    },
  });
}

export interface StreamRoutesOptions {
  engine: StreamEngine;
  config: StreamConfig;
}

/**
 * GET /v1/stream (WebSocket) and GET /v1/stream/sse: live quotes from the streaming engine (docs/streaming.md). Both
 * transports share the sessions and their limits; a refusal is the same problem object either way.
 */
export const streamRoutes: FastifyPluginAsyncZod<StreamRoutesOptions> = async (app, { engine, config }) => {
  const { sessions } = engine;
  const messageSchema = clientMessageSchema(config.maxSubscriptionsPerConnection);
  const sockets = new Map<WebSocket, { alive: boolean }>();

  // One timer pings every client; one that did not answer the previous ping is gone (a dead NAT, a frozen tab).
  const pings = setInterval(() => {
    for (const [socket, liveness] of sockets) {
      if (!liveness.alive) socket.terminate();
      else {
        liveness.alive = false;
        socket.ping();
      }
    }
  }, config.pingIntervalMs);
  pings.unref();
  app.addHook('onClose', async () => clearInterval(pings));

  app.route({
    method: 'GET',
    url: '',
    schema: {
      summary: 'Live quotes over a WebSocket (answers 101 Switching Protocols)',
      description: protocolDescription,
      tags: ['streaming'],
      response: {
        101: z.null().describe('Switching Protocols: the WebSocket is open; see the description for its messages.'),
        401: problemAnswer('No client key, or not a valid one.'),
        426: problemAnswer('A plain GET: this route needs a WebSocket upgrade (or use /v1/stream/sse).'),
        429: problemAnswer('Too many requests, or too many live streams open for this client.'),
      },
    },
    handler: async () => {
      throw new GatewayError('GW_UPGRADE_REQUIRED', 'GET /v1/stream needs a WebSocket upgrade; or use /v1/stream/sse');
    },
    wsHandler: (socket, request) => {
      const instance = '/v1/stream';
      const sendProblem = (error: unknown, id?: string) => {
        if (!(error instanceof GatewayError)) throw error;
        const problem = gatewayProblem(error, instance, request.id);
        socket.send(JSON.stringify({ op: 'error', ...(id === undefined ? {} : { id }), problem }));
      };
      const sink: SubscriberSink = {
        buffered: () => socket.bufferedAmount,
        send: (update) => socket.send(updateMessage(update)),
        close: (code, reason) => {
          socket.close(code, reason);
          if (code === slowConsumerCloseCode) setTimeout(() => socket.terminate(), slowCloseGraceMs).unref();
        },
      };
      let session: StreamSession;
      try {
        session = sessions.open(streamClient(request, config), sink);
      } catch (error) {
        sendProblem(error);
        socket.close(1008, 'refused');
        return;
      }
      sockets.set(socket, { alive: true });
      socket.on('pong', () => {
        const liveness = sockets.get(socket);
        if (liveness) liveness.alive = true;
      });
      socket.on('close', () => {
        sockets.delete(socket);
        session.end();
      });
      socket.send(
        JSON.stringify({
          op: 'welcome',
          channels: streamChannels,
          limits: {
            subscriptionsPerConnection: config.maxSubscriptionsPerConnection,
            symbolsPerClient: streamClient(request, config).maxSymbols,
          },
          pingIntervalMs: config.pingIntervalMs,
        }),
      );
      socket.on('message', (data, isBinary) => {
        let id: string | undefined;
        try {
          const json = parseJson(data, isBinary);
          id = typeof json.id === 'string' ? json.id.slice(0, 64) : undefined;
          const message = parseMessage(json, messageSchema);
          const symbols =
            message.op === 'subscribe'
              ? session.subscribe(message.channel, message.symbols)
              : session.unsubscribe(message.channel, message.symbols);
          const op = message.op === 'subscribe' ? 'subscribed' : 'unsubscribed';
          socket.send(JSON.stringify({ op, ...(id === undefined ? {} : { id }), channel: message.channel, symbols }));
        } catch (error) {
          sendProblem(error, id);
        }
      });
    },
  });

  app.get(
    '/sse',
    {
      schema: {
        summary: 'Live quotes as server-sent events, for clients without WebSocket',
        description:
          'One channel and its symbols per stream: `event: update` messages whose data is the WebSocket `update` ' +
          'message (docs/streaming.md), the latest known at once, then every change; a comment line as heartbeat. ' +
          'Limits and slow-consumer handling as on /v1/stream (a slow consumer is disconnected).',
        tags: ['streaming'],
        querystring: z.strictObject({
          channel: channelSchema,
          symbols: symbolListSchema(config.maxSubscriptionsPerConnection)
            .describe(`Comma-separated tickers, at most ${config.maxSubscriptionsPerConnection}.`)
            .meta({ example: 'AAPL,MSFT' }),
        }),
        produces: ['text/event-stream'],
        response: {
          200: z.string().describe('text/event-stream of `update` events.').meta({ example: sseExample }),
          400: problemAnswer('Bad input: an unknown channel or an invalid symbol.'),
          401: problemAnswer('No client key, or not a valid one.'),
          403: problemAnswer('The key may not follow this channel.'),
          429: problemAnswer('Too many live streams or symbols for this client.'),
        },
      },
    },
    async (request, reply) => {
      const { channel, symbols } = request.query;
      // Subscribed before the response opens, so a refusal is still an ordinary problem+json answer.
      const opened: { response?: ServerResponse } = {};
      const sink: SubscriberSink = {
        // Until the response is open, updates wait (conflated) and are flushed once it is.
        buffered: () => opened.response?.writableLength ?? Number.POSITIVE_INFINITY,
        send: (update) => opened.response?.write(`event: update\ndata: ${updateMessage(update)}\n\n`),
        close: (code) => (code === slowConsumerCloseCode ? opened.response?.destroy() : opened.response?.end()),
      };
      const session = sessions.open(streamClient(request, config), sink);
      try {
        session.subscribe(channel, symbols);
      } catch (error) {
        session.end();
        throw error;
      }
      opened.response = openEventStream(request, reply, config.pingIntervalMs);
      opened.response.on('close', () => session.end());
      return reply;
    },
  );
};

function streamClient(request: FastifyRequest, config: StreamConfig): StreamClient {
  const { client } = request;
  return {
    id: client.id,
    mayFollow: (channel: StreamChannel) => mayRead(request, channelCapability[channel]),
    maxConnections: client.streamLimits?.connections ?? config.maxConnectionsPerClient,
    maxSymbols: client.streamLimits?.symbols ?? config.maxSymbolsPerClient,
  };
}

function parseJson(data: unknown, isBinary: boolean): Record<string, unknown> {
  let json: unknown;
  try {
    json = isBinary ? undefined : JSON.parse(String(data));
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GatewayError('GW_BAD_INPUT', 'a message must be one JSON object in a text frame');
  }
  return json as Record<string, unknown>;
}

function parseMessage<T extends z.ZodType>(json: unknown, schema: T): z.output<T> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 5).map((issue) => ({
      in: 'message',
      field: issue.path.join('.') || '(message)',
      message: issue.message,
    }));
    const first = errors[0];
    throw new GatewayError('GW_BAD_INPUT', `message ${first?.field}: ${first?.message}`, { errors });
  }
  return parsed.data;
}
