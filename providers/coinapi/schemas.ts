import { z } from 'zod';
import { toUtcIso } from '../common/time.js';

/** coinapi stamps every time as ISO UTC with 7 fractional digits ('2026-01-30T09:29:59.8231235Z'); kept to milliseconds. */
export const coinapiTimeSchema = z.string().transform((value, context) => {
  const iso = toUtcIso(value);
  if (iso === null) {
    context.addIssue({ code: 'custom', message: 'expected an ISO-8601 time' });
    return z.NEVER;
  }
  return iso;
});
