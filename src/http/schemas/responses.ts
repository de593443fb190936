import type { z } from 'zod';
import { cacheStatuses } from '../../core/outcomes.js';
import { problemSchema } from './problem.js';

/**
 * A response header as the route schema declares it: @fastify/swagger turns each into an OpenAPI header object (the
 * description beside the schema); swagger.ts lifts `required` out of the schema, where OpenAPI wants it.
 */
export interface ResponseHeader {
  description: string;
  type: 'string' | 'integer';
  enum?: readonly string[];
  required?: true;
}
export type ResponseHeaders = Record<string, ResponseHeader>;

/** A response for the route schema: the body's schema under its media type, and the headers the server adds. */
export interface DeclaredResponse<T extends z.ZodType> {
  description?: string;
  content: Record<string, { schema: T }>;
  headers: ResponseHeaders;
}

/** On every answer: request-context.ts sets it in onRequest. */
const requestIdHeader: ResponseHeaders = {
  'X-Request-Id': {
    type: 'string',
    required: true,
    description: 'The request id: the one sent, when valid, otherwise a UUID; also in the log line.',
  },
};

/** Every answer says whether HTTP caches may keep it (docs/api.md#http-caching). */
const cacheControlHeader: ResponseHeaders = {
  'Cache-Control': {
    type: 'string',
    required: true,
    description: '`no-store`, except on a data answer from the cache: how long HTTP caches may keep it.',
  },
};

/**
 * The client rate limit's IETF-draft headers (plugins/client-rate-limit.ts), on every answer of a limited route while
 * `server.clientRateLimit.enabled` is on, so not required.
 */
export const rateLimitHeaders: ResponseHeaders = {
  'RateLimit-Limit': { type: 'integer', description: "Requests this client may make in the rate limit's window." },
  'RateLimit-Remaining': { type: 'integer', description: 'Requests left in the current window.' },
  'RateLimit-Reset': { type: 'integer', description: 'Seconds until the window starts again.' },
};

/** Which vendor answered and how the cache did (respond.ts): the same facts as meta.provider and meta.cache. */
const provenanceHeaders: ResponseHeaders = {
  'X-Provider': {
    type: 'string',
    required: true,
    description: 'The vendor that answered (comma-separated when a watchlist used several).',
  },
  'X-Cache': { type: 'string', enum: cacheStatuses, required: true, description: 'How the cache answered.' },
};

/** Every 429 says when to come back (client rate limit, vendor spend, event streams). */
export const retryAfterHeader: ResponseHeaders = {
  'Retry-After': { type: 'integer', required: true, description: 'Seconds to wait before asking again.' },
};

/**
 * A 503 says when a vendor (or the shed instance) is back, except when none is coming back on its own: no enabled
 * vendor serves the capability, or the pinned one is disabled.
 */
export const retryAfterWhenKnownHeader: ResponseHeaders = {
  'Retry-After': { type: 'integer', description: 'Seconds until a vendor is expected back, when the gateway knows.' },
};

/** A 401 names the scheme to authenticate with (plugins/auth.ts). */
const wwwAuthenticateHeader: ResponseHeaders = {
  'WWW-Authenticate': { type: 'string', required: true, description: 'The scheme to send the client key with.' },
};

/** A JSON answer (`application/json`) and its headers; X-Request-Id is on every one. */
export function jsonAnswer<T extends z.ZodType>(schema: T, headers: ResponseHeaders = {}): DeclaredResponse<T> {
  return {
    content: { 'application/json': { schema } },
    headers: { ...requestIdHeader, ...cacheControlHeader, ...headers },
  };
}

/** A data route's success: the envelope, with X-Provider and X-Cache, under the client rate limit. */
export function dataAnswer<T extends z.ZodType>(schema: T): DeclaredResponse<T> {
  return jsonAnswer(schema, { ...provenanceHeaders, ...rateLimitHeaders });
}

/** An error: RFC 9457 problem details as `application/problem+json`, the media type error-handler.ts sends. */
export function problemAnswer(
  description: string,
  headers: ResponseHeaders = {},
): DeclaredResponse<typeof problemSchema> {
  return {
    description,
    content: { 'application/problem+json': { schema: problemSchema } },
    headers: { ...requestIdHeader, ...cacheControlHeader, ...headers },
  };
}

/** The errors every data route can give, each with the client rate limit's headers. */
export const dataErrorResponses = {
  400: problemAnswer('Bad input: the detail and errors name the field.', rateLimitHeaders),
  401: problemAnswer('No client key, or not a valid one (see WWW-Authenticate).', {
    ...wwwAuthenticateHeader,
    ...rateLimitHeaders,
  }),
  403: problemAnswer('The key may not ask for this capability, or for an operator option.', rateLimitHeaders),
  404: problemAnswer('The vendors that answered agree the symbol does not exist.', rateLimitHeaders),
  429: problemAnswer('This client made too many requests or caused too much vendor spend.', {
    ...retryAfterHeader,
    ...rateLimitHeaders,
  }),
  500: problemAnswer('A bug: the detail names the request id to look up in the gateway log.', rateLimitHeaders),
  502: problemAnswer('Every vendor tried failed.', rateLimitHeaders),
  503: problemAnswer('No vendor available (breakers open, quotas spent), or the gateway is overloaded.', {
    ...retryAfterWhenKnownHeader,
    ...rateLimitHeaders,
  }),
  504: problemAnswer('The request deadline passed.', rateLimitHeaders),
};

/** The errors of the operator surface (an operator key, or the admin port); `headers` are the route's own. */
export function operatorErrorResponses(headers: ResponseHeaders = {}) {
  return {
    401: problemAnswer('No client key, or not a valid one.', { ...wwwAuthenticateHeader, ...headers }),
    403: problemAnswer('The key lacks the operator scope.', headers),
  };
}
