import { describe, expect, it } from 'vitest';
import {
  commonQuery,
  currencySchema,
  dateSchema,
  symbolListSchema,
  symbolSchema,
} from '../../../src/http/schemas/params.js';

const parse = (value: string) => symbolSchema.safeParse(value);
const message = (value: string) => parse(value).error?.issues[0]?.message;

describe('symbolSchema', () => {
  it.each([
    ['aapl', 'AAPL'],
    [' brk.b ', 'BRK.B'],
    ['^gspc', '^GSPC'],
    ['btc-usd', 'BTC-USD'],
    ['x:btcusd', 'X:BTCUSD'],
    ['0329.hk', '0329.HK'],
    ['bce.pr.a', 'BCE.PR.A'],
    ['A'.repeat(20), 'A'.repeat(20)],
  ])('takes the documented form %s as %s', (input, symbol) => {
    expect(parse(input)).toEqual({ success: true, data: symbol });
  });

  it.each(['.', '..', '...', '.A', 'A.', 'A..B', 'BRK..B', '-A', ':A', 'A-', 'A.-B', '^', '^.A', 'A^B', '^^A'])(
    'refuses %j: a symbol starts with a letter or digit and has no dot segment',
    (input) => {
      expect(message(input)).toBe(
        'must start with a letter or digit (an index with ^) and have . - : only between letters and digits',
      );
    },
  );

  it.each(['AA PL', 'AAPL/X', 'A%2E', 'A\u0000', 'é', 'AAPL\t1'])('refuses %j for its characters', (input) => {
    expect(message(input)).toBe('may contain only A-Z, 0-9 and . - : ^');
  });

  it('counts the length after case folding: characters that fold into several are refused, never stretched', () => {
    // 'ﬃ'.toUpperCase() is 'FFI': twenty of them would be a 60-character symbol.
    expect(parse('ﬃ'.repeat(20)).success).toBe(false);
    expect(parse('ﬃ'.repeat(6)).success).toBe(false);
    expect(parse('ß').success).toBe(false);
    expect(parse('ı').success).toBe(false);
    expect(message('A'.repeat(21))).toBe('must be at most 20 characters');
    expect(message('')).toBe('must not be empty');
  });
});

describe('symbolListSchema', () => {
  const list = symbolListSchema(3);

  it('de-duplicates in the order given', () => {
    expect(list.safeParse('aapl,MSFT,AAPL')).toEqual({ success: true, data: ['AAPL', 'MSFT'] });
  });

  it('names a bad item when it is short and printable, else its position', () => {
    expect(list.safeParse('AAPL,..').error?.issues[0]?.message).toMatch(/^"\.\." must start/);
    expect(list.safeParse(`AAPL,${'x'.repeat(500)}`).error?.issues[0]?.message).toBe(
      'item 2 must be at most 20 characters',
    );
    expect(list.safeParse('AAPL,A\u0001B').error?.issues[0]?.message).toBe(
      'item 2 may contain only A-Z, 0-9 and . - : ^',
    );
  });

  it('stops at the first symbol past the limit, however long the list', () => {
    const many = Array.from({ length: 100_000 }, (_, index) => `S${index}`).join(',');
    const started = performance.now();
    expect(list.safeParse(many).error?.issues[0]?.message).toBe('at most 3 symbols, got 4 or more');
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('currency codes and provider', () => {
  it('takes ASCII letters only, before and after case folding', () => {
    expect(currencySchema.safeParse(' usd ')).toEqual({ success: true, data: 'USD' });
    for (const input of ['ﬃﬃ', 'US$', 'U.S', '..', 'ußd', 'US\u0000D', 'E'.repeat(6)]) {
      expect(currencySchema.safeParse(input).success).toBe(false);
    }
  });

  it('takes a vendor name of at most 32 lowercase letters and digits', () => {
    expect(commonQuery.provider.safeParse('polygon').success).toBe(true);
    for (const input of ['Polygon', '.', '../x', 'a'.repeat(33), 'poly gon', '']) {
      expect(commonQuery.provider.safeParse(input).success).toBe(false);
    }
  });
});

describe('dateSchema', () => {
  it('takes a calendar day from 1900 to 2999 (a year before 100 broke the candle models: a 500 the fuzz test found)', () => {
    for (const day of ['1900-01-01', '2024-02-29', '2999-12-31']) expect(dateSchema.safeParse(day).success).toBe(true);
    for (const day of ['0000-02-29', '0001-01-05', '1899-12-31', '3000-01-01', '2026-02-30', '2026-1-01']) {
      expect(dateSchema.safeParse(day).success).toBe(false);
    }
  });
});
