import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
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

/**
 * Every error leaves as RFC 9457 problem+json. GatewayErrors and validation errors carry our own safe words; anything
 * else is a masked 500, logged once with the request id. No stack, vendor message or URL reaches the client.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | GatewayError, request, reply) => {
    const problem = toProblem(error, request);
    if (error instanceof GatewayError) {
      request.outcome = { attempts: error.attempts };
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    } else if (problem.status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
    }
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    return reply
      .code(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `no route ${request.method} ${path}; see /docs`,
        instance: path,
        requestId: request.id,
      } satisfies Problem);
  });
}

function toProblem(error: FastifyError | GatewayError, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0] ?? request.url;
  if (error instanceof GatewayError) {
    const problem: Problem = {
      type: problemType(error.code.slice(3).toLowerCase().replaceAll('_', '-')),
      title: error.title,
      status: error.status,
      detail: error.detail,
      instance,
      requestId: request.id,
    };
    if (error.attempts.length > 0) problem.attempts = error.attempts;
    return problem;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = inputLocations[error.validationContext ?? ''] ?? error.validationContext ?? 'request';
    const errors = error.validation.map((issue) => ({
      in: where,
      field: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || fieldFromIssue(issue.params),
      message: issue.message ?? 'is invalid',
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
  const status =
    !isResponseSerializationError(error) && error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
  return {
    type: 'about:blank',
    title: status === 500 ? 'Internal Server Error' : error.message,
    status,
    ...(status === 500 ? { detail: `see the gateway log for request ${request.id}` } : {}),
    instance,
    requestId: request.id,
  };
}

/** Unknown-key issues point at the object, not the key; the keys are in the issue's params. */
function fieldFromIssue(params: unknown): string {
  const keys = (params as { keys?: unknown } | undefined)?.keys;
  return Array.isArray(keys) ? keys.join(',') : '(request)';
}
