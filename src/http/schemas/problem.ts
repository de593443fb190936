import { z } from 'zod';
import { attemptRecordSchema } from '../../core/outcomes.js';

/** RFC 9457 problem details, with the request id and the vendors tried. */
export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional().describe('What went wrong for this request; names the field or the vendor.'),
    instance: z.string().describe('The request path.'),
    requestId: z.string(),
    attempts: z.array(attemptRecordSchema).optional().describe('Every vendor tried or passed over.'),
    errors: z
      .array(z.object({ in: z.string(), field: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid input.'),
  })
  .meta({
    id: 'Problem',
    example: {
      type: 'urn:market-data-gateway:problem:all-failed',
      title: 'Every vendor failed',
      status: 502,
      detail: 'every vendor for stock-quote failed',
      instance: '/v1/stocks/AAPL/quote',
      requestId: '3f0c2d5e-0d7c-4d0e-9a53-0c1f4c1b2a11',
      attempts: [
        { provider: 'polygon', outcome: 'timeout', ms: 2000.4, detail: 'no answer in time' },
        { provider: 'finnhub', outcome: 'unavailable', ms: 12.1, detail: 'HTTP 500' },
      ],
    },
  });
export type Problem = z.infer<typeof problemSchema>;
