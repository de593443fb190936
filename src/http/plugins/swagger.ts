import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const apiVersion = '1.0.0';

/** OpenAPI from the route schemas (shared models become $refs through their zod ids); Swagger UI at /docs. */
export async function registerSwagger(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'market-data-gateway',
        version: apiVersion,
        description:
          'One REST API in front of many market-data and news vendors. Every data answer is `{ data, meta }`; ' +
          '`meta.attempts` lists every vendor tried. Errors are RFC 9457 problem+json. `provider=NAME` pins a vendor; ' +
          '`X-Priority` sets queue priority (both need the operator scope). Send the client key in `X-API-Key` or ' +
          'as a Bearer token; /health, /ready and this description need none.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A client key.' },
          bearer: { type: 'http', scheme: 'bearer', description: 'The same client key as a Bearer token.' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
      tags: [
        { name: 'stocks', description: 'Quotes, watchlists and bars for listed shares' },
        { name: 'crypto', description: 'Crypto prices and bars' },
        { name: 'forex', description: 'Currency exchange rates' },
        { name: 'news', description: 'Market news from several vendors, de-duplicated' },
        { name: 'operations', description: 'Health, readiness and vendor state' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
