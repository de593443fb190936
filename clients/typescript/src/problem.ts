import type { components } from './generated/openapi.js';

/** RFC 9457 problem details as the gateway sends them (`application/problem+json`). */
export type Problem = components['schemas']['Problem'];
export type Attempt = components['schemas']['Attempt'];

/**
 * The client's own problem type for a request that got no HTTP answer at all (connection refused, DNS, CORS refusal):
 * status 0, as fetch's network-error Response has.
 */
export const unreachableProblemType = 'urn:market-data-gateway:problem:unreachable';

/** Every failed call throws this: the gateway's problem details, whatever sent the error. */
export class GatewayProblem extends Error {
  override readonly name = 'GatewayProblem';

  constructor(
    readonly problem: Problem,
    /** From the Retry-After header of a 429 or 503, when the gateway said when to come back. */
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
  }

  get status(): number {
    return this.problem.status;
  }

  /** Every vendor the gateway tried or passed over, and how each failed. */
  get attempts(): Attempt[] {
    return this.problem.attempts ?? [];
  }

  /** Turns an error answer into a GatewayProblem; an answer without problem details (a proxy's) gets about:blank. */
  static fromResponse(response: Response, body: unknown): GatewayProblem {
    const retryAfter = retryAfterSeconds(response);
    if (isProblemJson(response) && isProblem(body)) return new GatewayProblem(body, retryAfter);
    const problem: Problem = {
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      detail: `answered ${response.status} without problem details: something in between (a proxy?) answered for the gateway`,
      instance: response.url ? new URL(response.url).pathname : '',
      requestId: response.headers.get('x-request-id') ?? '',
    };
    return new GatewayProblem(problem, retryAfter);
  }

  /** A request that got no answer: fetch rejected (not an abort, which callers see as the AbortError it is). */
  static unreachable(url: string, cause: unknown): GatewayProblem {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new GatewayProblem({
      type: unreachableProblemType,
      title: 'Gateway unreachable',
      status: 0,
      detail: `no answer from ${new URL(url).origin}: ${reason}`,
      instance: new URL(url).pathname,
      requestId: '',
    });
  }
}

/** Retry-After in seconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function isProblemJson(response: Response): boolean {
  return response.headers.get('content-type')?.toLowerCase().startsWith('application/problem+json') ?? false;
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const { type, title, status } = body as Record<string, unknown>;
  return typeof type === 'string' && typeof title === 'string' && typeof status === 'number';
}
