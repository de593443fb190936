import { z } from 'zod';

/** How a simulated vendor misbehaves. `ok` serves normally. */
export const faultModes = ['ok', 'error', 'hang', 'slow', 'rate-limited', 'malformed', 'refuse'] as const;
export type FaultMode = (typeof faultModes)[number];

export const faultSchema = z.strictObject({
  mode: z
    .enum(faultModes)
    .describe(
      "ok serves normally; error answers 500 with the vendor's error body; hang never answers; slow answers after delayMs; " +
        "rate-limited answers 429 with the vendor's reset hint; malformed answers 200 with a body that breaks the vendor's schema; " +
        'refuse closes every connection at once. A WebSocket feed follows the same fault on open and new sockets: ' +
        "hang goes silent and stops answering pings, refuse drops them, error and rate-limited send the vendor's " +
        'error frame and close, malformed sends cut-off frames.',
    ),
  delayMs: z.number().int().min(0).max(60_000).default(1_500).describe('Answer delay for slow, in milliseconds.'),
});
export type Fault = z.infer<typeof faultSchema>;

export const healthyFault: Fault = { mode: 'ok', delayMs: 1_500 };
