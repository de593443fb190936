import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GatewayError } from '../src/core/errors.js';
import { faultModes, faultSchema } from './faults.js';
import type { Sandbox } from './start.js';
import type { RunningFeed } from './stream-feed.js';
import { operatorSurface } from '../src/http/plugins/auth.js';

const simulatorSchema = z.object({
  vendor: z.string(),
  url: z.string(),
  fault: z.object({ mode: z.enum(faultModes), delayMs: z.number() }),
  requests: z.number().describe('Requests the simulator has served.'),
  stream: z
    .object({
      urls: z.record(z.string(), z.string()).describe('The WebSocket URL per stream channel, keyless.'),
      connections: z.number().describe('Open WebSocket connections.'),
      subscriptions: z.record(z.string(), z.number()).describe('Connections subscribed to each symbol.'),
      framesSent: z.number(),
    })
    .optional()
    .describe("The vendor's simulated WebSocket feed, where it streams."),
});

/** One entry of GET /sandbox/vendors. */
export type SimulatorStatus = z.infer<typeof simulatorSchema>;

function describeFeed(feed: RunningFeed) {
  return {
    urls: Object.fromEntries(feed.channels.map((channel) => [channel, feed.url(channel)])),
    connections: feed.openConnections,
    subscriptions: Object.fromEntries(feed.subscriptions),
    framesSent: feed.framesSent,
  };
}

/** Demo only: make a simulated vendor misbehave and watch the gateway fail over. Hidden from the API spec. */
export const sandboxControlRoutes: FastifyPluginAsyncZod<{ sandbox: Sandbox }> = async (app, { sandbox }) => {
  operatorSurface(app);
  const describe = () =>
    sandbox.simulators.map((simulator) => ({
      vendor: simulator.vendor,
      url: simulator.url,
      fault: simulator.fault,
      requests: simulator.requestCount,
      ...(simulator.stream ? { stream: describeFeed(simulator.stream) } : {}),
    }));

  app.get(
    '/vendors',
    { schema: { hide: true, response: { 200: z.object({ data: z.array(simulatorSchema) }) } } },
    async () => ({
      data: describe(),
    }),
  );

  app.post(
    '/vendors/:name/fault',
    {
      schema: {
        hide: true,
        params: z.object({ name: z.string() }),
        body: faultSchema,
        response: { 200: z.object({ data: simulatorSchema }) },
      },
    },
    async (request) => {
      const simulator = sandbox.simulators.find((entry) => entry.vendor === request.params.name);
      if (!simulator) {
        const known = sandbox.simulators.map((entry) => entry.vendor).join(', ');
        throw new GatewayError('GW_NOT_FOUND', `name: no simulated vendor "${request.params.name}" (known: ${known})`);
      }
      simulator.setFault(request.body);
      request.log.info({ vendor: simulator.vendor, fault: request.body }, 'sandbox fault set');
      return { data: describe().find((entry) => entry.vendor === simulator.vendor) as z.infer<typeof simulatorSchema> };
    },
  );
};
