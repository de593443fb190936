import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { InstanceDirectory } from '../../store/instances.js';
import { operatorSurface } from '../plugins/auth.js';
import { jsonAnswer, operatorErrorResponses, rateLimitHeaders } from '../schemas/responses.js';

const instanceSchema = z
  .object({
    id: z.string().describe('The id router events carry as `instance`.'),
    host: z.string(),
    pid: z.number(),
    startedAt: z.string(),
    seenAt: z.string().describe('Its last heartbeat in Redis; now for the instance answering.'),
    self: z.boolean().describe('The instance answering this request.'),
  })
  .meta({
    id: 'GatewayInstance',
    example: {
      id: '5f0c8e52-6a0b-4c1e-9d55-0a3b8f7c2e11',
      host: 'gateway-7d9f',
      pid: 1,
      startedAt: '2026-11-25T09:00:00.000Z',
      seenAt: '2026-11-25T10:02:24.000Z',
      self: true,
    },
  });

/** One entry of GET /v1/instances. */
export type InstanceStatus = z.infer<typeof instanceSchema>;

export const instancesRoutes: FastifyPluginAsyncZod<{ instances: InstanceDirectory; selfId: string }> = async (
  app,
  { instances, selfId },
) => {
  operatorSurface(app);
  app.get(
    '',
    {
      schema: {
        summary: 'Gateway instances alive now (every instance sharing the Redis store; this one alone without it)',
        tags: ['operations'],
        response: {
          200: jsonAnswer(z.object({ data: z.array(instanceSchema) }), rateLimitHeaders),
          ...operatorErrorResponses(rateLimitHeaders),
        },
      },
    },
    async () => ({
      data: (await instances.list()).map((instance) => ({ ...instance, self: instance.id === selfId })),
    }),
  );
};
