import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { ResponseHeaders } from '../schemas/responses.js';

export const apiVersion = '1.0.0';

/** The tags of data routes: their answers carry Cache-Control and ETag, and If-None-Match may get a 304. */
const dataTags: ReadonlySet<string> = new Set(['stocks', 'crypto', 'forex', 'news']);

const cacheHeaders = {
  'Cache-Control': {
    required: true,
    description:
      'How long HTTP caches may keep the answer, in seconds from now: `public` (open mode) or `private` (a client ' +
      'key), `max-age` (freshness left), `stale-while-revalidate`, `stale-if-error`; `no-store` when the cache was ' +
      'bypassed.',
    schema: { type: 'string', example: 'public, max-age=4, stale-while-revalidate=5, stale-if-error=595' },
  },
  ETag: {
    description: 'A strong tag of `data` (not of `meta`); absent when the cache was bypassed.',
    schema: { type: 'string', example: '"eZxUD8UYs1eAHEkg8eEf3rjS_vN"' },
  },
};

type OpenApiDocument = ReturnType<typeof jsonSchemaTransformObject>;
interface Operation {
  tags?: string[];
  responses?: Record<string, { headers?: Record<string, unknown> } & Record<string, unknown>>;
}

/** Declares the HTTP caching headers and the 304 of data routes (docs/api.md#http-caching), which no schema carries. */
function withCacheHeaders(document: OpenApiDocument): OpenApiDocument {
  for (const item of Object.values((document as { paths?: Record<string, { get?: Operation }> }).paths ?? {})) {
    const operation = item.get;
    const responses = operation?.responses;
    const ok = responses?.['200'];
    if (!operation?.tags?.some((tag) => dataTags.has(tag)) || !responses || !ok) continue;
    ok.headers = { ...ok.headers, ...cacheHeaders };
    responses['304'] = {
      description: "Not Modified: If-None-Match named the answer's ETag; no body.",
      headers: cacheHeaders,
    };
  }
  return document;
}

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
        { name: 'streaming', description: 'Live quotes over WebSocket or server-sent events (docs/streaming.md)' },
        { name: 'operations', description: 'Health, readiness and vendor state' },
      ],
    },
    transform: (route) => withResponseHeaders(route.schema, jsonSchemaTransform(route)),
    transformObject: (document) => withCacheHeaders(withRequiredHeaders(jsonSchemaTransformObject(document))),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

type RouteSchemaTransform = Parameters<typeof jsonSchemaTransform>[0]['schema'];
type TransformedRoute = ReturnType<typeof jsonSchemaTransform>;

/**
 * The zod transform keeps a content-keyed response's description and content but drops its headers
 * (schemas/responses.ts declares them there); put them back for @fastify/swagger, which turns them into header objects.
 */
function withResponseHeaders(schema: RouteSchemaTransform, transformed: TransformedRoute): TransformedRoute {
  const declared = (schema?.response ?? {}) as Record<string, { headers?: ResponseHeaders }>;
  const responses = transformed.schema?.response as Record<string, Record<string, unknown>> | undefined;
  for (const [status, response] of Object.entries(responses ?? {})) {
    const headers = declared[status]?.headers;
    if (headers) response.headers = headers;
  }
  return transformed;
}

interface HeaderObject {
  required?: boolean;
  schema: { required?: boolean };
}

/**
 * @fastify/swagger puts every key of a declared header except its description under `schema`; OpenAPI wants
 * `required` on the header object itself (a generated client makes only those headers non-optional).
 */
function withRequiredHeaders<T extends { paths?: object }>(document: T): T {
  const operations = Object.values(document.paths ?? {}).flatMap((item: Record<string, unknown>) =>
    Object.values(item),
  );
  for (const operation of operations as { responses?: Record<string, { headers?: Record<string, HeaderObject> }> }[]) {
    for (const response of Object.values(operation.responses ?? {})) {
      for (const header of Object.values(response.headers ?? {})) {
        if (header.schema.required === undefined) continue;
        header.required = header.schema.required;
        delete header.schema.required;
      }
    }
  }
  return document;
}
