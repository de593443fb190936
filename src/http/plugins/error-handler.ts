import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type {
  ConnectionError,
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { GatewayError } from '../../core/errors.js';
import type { Problem } from '../schemas/problem.js';

const problemType = (slug: string) => `urn:market-data-gateway:problem:${slug}`;
const inputLocations: Record<string, string> = {
  querystring: 'query',
  params: 'path',
  headers: 'header',
  body: 'body',
};

/** A problem the HTTP layer names itself: the type's slug, the status and a fixed title (docs/api.md#errors). */
interface ProblemKind {
  slug: string;
  status: number;
  title: string;
}

const malformedRequest: ProblemKind = { slug: 'malformed-request', status: 400, title: 'Malformed request' };
const noRoute: ProblemKind = { slug: 'no-route', status: 404, title: 'No such route' };
const methodNotAllowed: ProblemKind = { slug: 'method-not-allowed', status: 405, title: 'Method not allowed' };
const requestTimeout: ProblemKind = { slug: 'request-timeout', status: 408, title: 'Request timeout' };
const bodyTooLarge: ProblemKind = { slug: 'body-too-large', status: 413, title: 'Content too large' };
const uriTooLong: ProblemKind = { slug: 'uri-too-long', status: 414, title: 'URI too long' };
const unsupportedMediaType: ProblemKind = {
  slug: 'unsupported-media-type',
  status: 415,
  title: 'Unsupported media type',
};
const headersTooLarge: ProblemKind = { slug: 'headers-too-large', status: 431, title: 'Request headers too large' };
const internalError: ProblemKind = { slug: 'internal', status: 500, title: 'Internal server error' };

/**
 * Errors Fastify raises itself, before a handler runs: each with our kind and our words. Their own messages are not
 * sent, as several echo the client's input (the content type, the path).
 */
const fastifyErrors: Readonly<Record<string, { kind: ProblemKind; detail: string }>> = {
  FST_ERR_BAD_URL: { kind: malformedRequest, detail: 'the path is not valid percent-encoding' },
  FST_ERR_MAX_PARAM_LENGTH: { kind: uriTooLong, detail: 'a path segment is longer than the gateway accepts' },
  FST_ERR_CTP_BODY_TOO_LARGE: { kind: bodyTooLarge, detail: 'the request body is larger than the gateway accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { kind: unsupportedMediaType, detail: 'no route here takes a body of this type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { kind: malformedRequest, detail: 'the body does not match its Content-Length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { kind: malformedRequest, detail: 'the content type is JSON but the body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { kind: malformedRequest, detail: 'the body is not valid JSON' },
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: { kind: malformedRequest, detail: 'a body needs a Content-Type' },
  FST_ERR_ROUTE_MISSING_CONTENT: { kind: malformedRequest, detail: 'this method needs a request body' },
};

/**
 * Every error leaves as RFC 9457 problem+json. GatewayErrors and validation errors carry our own safe words; anything
 * else is a masked 500, logged once with the request id. No stack, vendor message or URL reaches the client. A path
 * that exists for other methods is a 405 with `Allow`; errors raised before routing and errors of the connection
 * itself are answered by frameworkErrorProblem and problemOnClientError, which app.ts gives Fastify.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  const routes = new RouteTable();
  app.addHook('onRoute', (route) => routes.add(route.method, route.url));

  app.setErrorHandler((error: FastifyError | GatewayError, request, reply) => {
    const problem = toProblem(error, request);
    if (error instanceof GatewayError) {
      request.outcome = { attempts: error.attempts };
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    } else if (problem.status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
    }
    // An error is never kept by a cache, even one raised after a data answer set its own Cache-Control.
    return reply
      .code(problem.status)
      .header('cache-control', 'no-store')
      .type('application/problem+json')
      .send(problem);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const allowed = routes.methodsFor(path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const detail = `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`;
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .type('application/problem+json')
        .send(problemOf(methodNotAllowed, detail, path, request.id));
    }
    const detail = `no route ${request.method} ${path}; see /docs`;
    return reply
      .code(404)
      .type('application/problem+json')
      .send(problemOf(noRoute, detail, path, request.id));
  });
}

/**
 * Fastify's `frameworkErrors`: errors raised while routing (a path that is not valid percent-encoding, a path segment
 * longer than maxParamLength), which no hook or error handler sees. Sets X-Request-Id itself for the same reason.
 */
export function frameworkErrorProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem = toProblem(error, request);
  if (problem.status >= 500) request.log.error({ err: error }, 'unexpected error');
  void reply.code(problem.status).header('x-request-id', request.id).type('application/problem+json').send(problem);
}

/**
 * Fastify's `clientErrorHandler`: the connection sent what Node's HTTP parser refuses (headers or URL past
 * maxHeaderSize: 431; a request that took too long to arrive: 408; anything else malformed: 400). There is no request
 * or reply, so the answer is written to the socket, which is then closed, as Node does by default.
 */
export function problemOnClientError(log: FastifyBaseLogger) {
  return (error: ConnectionError, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const kind =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? requestTimeout
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? headersTooLarge
          : malformedRequest;
    const requestId = randomUUID();
    const detail =
      kind === malformedRequest
        ? 'the request is not valid HTTP/1.1'
        : kind === requestTimeout
          ? 'the request did not arrive in time'
          : 'the request line and headers are larger than the gateway accepts';
    const body = JSON.stringify(problemOf(kind, detail, requestTarget(error.rawPacket), requestId));
    log.debug({ code: error.code, requestId }, 'client error');
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      socket.write(
        `HTTP/1.1 ${kind.status} ${STATUS_CODES[kind.status] ?? kind.title}\r\n` +
          'Content-Type: application/problem+json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${requestId}\r\n` +
          'Connection: close\r\n\r\n' +
          body,
      );
    }
    socket.destroy(error);
  };
}

function problemOf(kind: ProblemKind, detail: string, instance: string, requestId: string): Problem {
  return { type: problemType(kind.slug), title: kind.title, status: kind.status, detail, instance, requestId };
}

function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}

/** The path the refused request asked for, when the parser got as far as a printable request line; else `/`. */
function requestTarget(rawPacket: unknown): string {
  const head = Buffer.isBuffer(rawPacket) ? rawPacket.subarray(0, 2_048).toString('latin1') : '';
  const target = /^[A-Z]{1,16} (\/[\x21-\x7e]*) HTTP\/1\.[01]\r?\n/.exec(head)?.[1];
  return target === undefined ? '/' : pathOf(target);
}

/** A GatewayError as a problem; also what a live stream sends in its `error` messages (routes/stream.ts). */
export function gatewayProblem(error: GatewayError, instance: string, requestId: string): Problem {
  const problem: Problem = {
    type: problemType(error.code.slice(3).toLowerCase().replaceAll('_', '-')),
    title: error.title,
    status: error.status,
    detail: error.detail,
    instance,
    requestId,
  };
  if (error.attempts.length > 0) problem.attempts = error.attempts;
  if (error.options.errors) problem.errors = error.options.errors;
  return problem;
}

function toProblem(error: FastifyError | GatewayError, request: FastifyRequest): Problem {
  const instance = pathOf(request.url);
  if (error instanceof GatewayError) return gatewayProblem(error, instance, request.id);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = inputLocations[error.validationContext ?? ''] ?? error.validationContext ?? 'request';
    const errors = error.validation.map((issue) => ({
      in: where,
      field: printable(issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || fieldFromIssue(issue.params)),
      message: printable(issue.message ?? 'is invalid'),
    }));
    const first = errors[0];
    return {
      type: problemType('bad-input'),
      title: 'Bad request',
      status: 400,
      detail: first ? `${first.in} ${first.field}: ${first.message}` : 'invalid input',
      instance,
      requestId: request.id,
      errors,
    };
  }
  const known = Object.hasOwn(fastifyErrors, error.code) ? fastifyErrors[error.code] : undefined;
  if (known) return problemOf(known.kind, known.detail, instance, request.id);
  const status =
    !isResponseSerializationError(error) && error.statusCode && error.statusCode >= 400 && error.statusCode < 500
      ? error.statusCode
      : 500;
  if (status === 500) {
    return problemOf(internalError, `see the gateway log for request ${request.id}`, instance, request.id);
  }
  // Another client error (a plugin's): its status and the status's own name; its message may echo the request.
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Client error',
    status,
    instance,
    requestId: request.id,
  };
}

/**
 * Field names and messages can carry the client's own input (an unknown query key is named in its message): kept to
 * printable ASCII and 120 characters, so a problem never echoes control characters or a megabyte of junk.
 */
function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

/** Unknown-key issues point at the object, not the key; the keys are in the issue's params. */
function fieldFromIssue(params: unknown): string {
  const keys = (params as { keys?: unknown } | undefined)?.keys;
  return Array.isArray(keys) ? keys.join(',') : '(request)';
}

/** The app's routes by pattern, to tell a path no route has (404) from one only other methods have (405). */
class RouteTable {
  private readonly routes: { pattern: RegExp; methods: string[] }[] = [];

  add(method: string | string[], url: string): void {
    // A catch-all (a CORS preflight's `OPTIONS *`) would make every path exist.
    if (url === '*' || url === '/*') return;
    const source = url
      .split('/')
      .map((segment) =>
        segment === '*'
          ? '.*'
          : segment.startsWith(':')
            ? '[^/]+'
            : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\\*', '.*'),
      )
      .join('/');
    this.routes.push({ pattern: new RegExp(`^${source}$`), methods: [method].flat() });
  }

  methodsFor(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.routes)
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    return [...methods].sort();
  }
}
