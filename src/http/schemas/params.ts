import { z } from 'zod';
import { intervalSchema, type Interval } from '../../core/index.js';
import { GatewayError } from '../../core/errors.js';
import { priorities } from '../../resilience/limiter.js';

/** The longest ticker, counted after case folding (tickers are ASCII, so folding keeps the length). */
export const maxSymbolLength = 20;
/**
 * A ticker: letters and digits, in groups joined by one `.`, `-` or `:` (BRK.B, BTC-USD, X:BTCUSD), an index may lead
 * with `^` (^GSPC). So it starts with a letter or digit, and no dot-only, dot-segment or `..` symbol exists: a vendor
 * path built from it cannot resolve to another endpoint (docs/decisions.md#symbols-have-a-grammar).
 */
const symbolGrammar = /^\^?[A-Za-z0-9]+(?:[.:-][A-Za-z0-9]+)*$/;
const symbolCharacters = /^[A-Za-z0-9.:^-]*$/;
/** A symbol as symbolSchema gives it (upper case, trimmed, 1–20 characters): the schema returns it unchanged. */
export const canonicalSymbol = /^(?=.{1,20}$)\^?[A-Z0-9]+(?:[.:-][A-Z0-9]+)*$/;

/**
 * A ticker: case-insensitive on the way in, upper case after. The grammar is checked on the ASCII input, and the length
 * again after upper-casing, so no character that folds into several (ﬃ → FFI) can stretch it.
 */
export const symbolSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(maxSymbolLength, `must be at most ${maxSymbolLength} characters`)
  .regex(symbolGrammar, {
    error: (issue) =>
      typeof issue.input === 'string' && symbolCharacters.test(issue.input)
        ? 'must start with a letter or digit (an index with ^) and have . - : only between letters and digits'
        : 'may contain only A-Z, 0-9 and . - : ^',
  })
  .transform((value) => value.toUpperCase())
  .refine((value) => canonicalSymbol.test(value), `must be at most ${maxSymbolLength} characters`)
  .describe(
    'Ticker, case-insensitive: letters and digits joined by single . - or : (share classes with a dot, BRK.B); an ' +
      'index may start with ^.',
  );

export const currencySchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3,5}$/, 'must be a 3-letter currency code (or a 3–5 letter crypto ticker)')
  .transform((value) => value.toUpperCase());

/** A comma-separated list of tickers, de-duplicated, in the order given. */
export function symbolListSchema(max: number) {
  return z
    .string()
    .transform((value, context) => {
      const parts = value.split(',');
      const symbols = new Set<string>();
      for (const [index, part] of parts.entries()) {
        const parsed = symbolSchema.safeParse(part);
        if (!parsed.success) {
          context.addIssue({
            code: 'custom',
            message: `${quotedSymbol(part, index)} ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
          });
          return z.NEVER;
        }
        symbols.add(parsed.data);
        // Stop at once: a list of thousands must not cost a parse of every item.
        if (symbols.size > max) {
          context.addIssue({ code: 'custom', message: `at most ${max} symbols, got ${max + 1} or more` });
          return z.NEVER;
        }
      }
      return [...symbols];
    })
    .describe(`Comma-separated tickers, at most ${max}.`);
}

/** A list item as the client sent it, when it is short and printable; else its position: a detail never echoes junk. */
function quotedSymbol(part: string, index: number): string {
  const trimmed = part.trim();
  return trimmed.length <= maxSymbolLength && /^[\x20-\x7e]*$/.test(trimmed) ? `"${trimmed}"` : `item ${index + 1}`;
}

/**
 * A calendar day as YYYY-MM-DD, from 1900 to 2999: no market has data outside it, and a year before 100 or before 0
 * broke the candle models (JavaScript reads years 0–99 as 1900–1999, and writes negative years as -000001).
 */
export const dateSchema = z.iso
  .date('must be a date as YYYY-MM-DD')
  .refine((value) => value >= '1900-01-01' && value <= '2999-12-31', 'must be a day from 1900-01-01 to 2999-12-31');

const booleanString = z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'] });

/** Query keys every data endpoint accepts. */
export const commonQuery = {
  provider: z
    .string()
    .max(32, 'must be a vendor name such as polygon')
    .regex(/^[a-z][a-z0-9]*$/, 'must be a vendor name such as polygon')
    .optional()
    .describe('Pin one vendor: no failover. For debugging, and for clients that need one source.'),
};

export const candleQueryFields = {
  interval: intervalSchema.default('1d'),
  from: dateSchema.optional().describe('First day, inclusive (default: depends on interval).'),
  to: dateSchema.optional().describe('Last day, inclusive (default: today, UTC).'),
};

export const adjustedSchema = booleanString.default(true).describe('Split-adjusted prices (default true).');

/** `from` must not come after `to`; reported on `from`. */
export function fromNotAfterTo(
  value: { from?: string | undefined; to?: string | undefined },
  context: z.RefinementCtx,
) {
  if (value.from && value.to && value.from > value.to) {
    context.addIssue({ code: 'custom', path: ['from'], message: `must be on or before to (${value.to})` });
  }
}

export const priorityHeaderSchema = z.looseObject({
  'x-priority': z.enum(priorities).optional().describe('Queue priority at the vendor: critical, high, normal, low.'),
  'cache-control': z.string().optional().describe('no-cache skips the cache read.'),
});

const dayMs = 86_400_000;
/** Default look-back and longest range per interval, in days: enough bars to draw, never tens of thousands. */
const rangeDays: Record<Interval, { lookBack: number; max: number }> = {
  '1m': { lookBack: 1, max: 7 },
  '5m': { lookBack: 1, max: 30 },
  '15m': { lookBack: 5, max: 60 },
  '30m': { lookBack: 5, max: 60 },
  '1h': { lookBack: 30, max: 180 },
  '4h': { lookBack: 90, max: 365 },
  '1d': { lookBack: 90, max: 365 * 20 },
  '1w': { lookBack: 730, max: 365 * 30 },
  '1mo': { lookBack: 1825, max: 365 * 50 },
};

/** Fills the defaults of a candle range (to = today UTC) and refuses ranges too long for the interval. */
export function resolveDateRange(
  interval: Interval,
  range: { from?: string | undefined; to?: string | undefined },
  today: Date,
): { from: string; to: string } {
  const to = range.to ?? today.toISOString().slice(0, 10);
  const { lookBack, max } = rangeDays[interval];
  const from = range.from ?? new Date(Date.parse(to) - (lookBack - 1) * dayMs).toISOString().slice(0, 10);
  if (from > to) throw new GatewayError('GW_BAD_INPUT', `query from: must be on or before to (${to})`);
  const days = (Date.parse(to) - Date.parse(from)) / dayMs + 1;
  if (days > max) {
    throw new GatewayError('GW_BAD_INPUT', `query from: interval ${interval} allows at most ${max} days, got ${days}`);
  }
  return { from, to };
}
