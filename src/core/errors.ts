import type { AttemptRecord } from './outcomes.js';

export const gatewayErrorCodes = {
  GW_BAD_INPUT: { status: 400, title: 'Bad request' },
  GW_UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  GW_FORBIDDEN: { status: 403, title: 'Forbidden' },
  GW_NOT_FOUND: { status: 404, title: 'Not found' },
  GW_RELOAD_UNAVAILABLE: { status: 409, title: 'Nothing to reload' },
  GW_CONFIG_INVALID: { status: 422, title: 'Invalid configuration' },
  GW_UPGRADE_REQUIRED: { status: 426, title: 'Upgrade required' },
  GW_CLIENT_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  GW_ALL_FAILED: { status: 502, title: 'Every vendor failed' },
  GW_NO_PROVIDER: { status: 503, title: 'No vendor available' },
  GW_OVERLOADED: { status: 503, title: 'Gateway overloaded' },
  GW_DEADLINE: { status: 504, title: 'Deadline exceeded' },
} as const;
export type GatewayErrorCode = keyof typeof gatewayErrorCodes;

/** One invalid input, named by where it was and its field (a query parameter, a configuration key path). */
export interface InputProblem {
  in: string;
  field: string;
  message: string;
}

/**
 * The one error the engine throws at its boundary (undici style: a stable code, a status, a safe detail). `detail` is
 * written by us and never carries a vendor message, a URL or a key.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: GatewayErrorCode,
    readonly detail: string,
    readonly options: {
      attempts?: AttemptRecord[];
      retryAfterSeconds?: number;
      /** Each invalid input, for the problem's `errors`. */
      errors?: InputProblem[];
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: options.cause });
    this.status = gatewayErrorCodes[code].status;
    this.title = gatewayErrorCodes[code].title;
  }

  get attempts(): AttemptRecord[] {
    return this.options.attempts ?? [];
  }

  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }
}
