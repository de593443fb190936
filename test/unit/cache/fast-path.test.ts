import { describe, expect, it } from 'vitest';
import { canonicalIsoCurrency, isoCurrency } from '../../../src/http/routes/forex.js';
import { canonicalSymbol, symbolSchema } from '../../../src/http/schemas/params.js';

/** Strings near the edges of both forms: case, length, spaces, every allowed and some refused characters. */
function candidates(alphabet: string, lengths: number[], count: number): string[] {
  let seed = 7;
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  const list: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const length = lengths[Math.floor(random() * lengths.length)] ?? 1;
    let text = '';
    for (let position = 0; position < length; position += 1) text += alphabet[Math.floor(random() * alphabet.length)];
    list.push(text);
  }
  return list;
}

const symbolAlphabet = 'ABCXYZabcxyz0189.-:^ _/%é';
const currencyAlphabet = 'EURUSDeurusd1 .';

describe('canonical params of the cache fast path', () => {
  it('take only symbols symbolSchema returns unchanged', () => {
    const inputs = [
      ...candidates(symbolAlphabet, [0, 1, 2, 5, 19, 20, 21, 25], 20_000),
      'AAPL',
      'BRK.B',
      '^GSPC',
      'BTC-USD',
      'X:BTCUSD',
      'aapl',
      ' AAPL',
      'AAPL ',
      'A'.repeat(20),
      'A'.repeat(21),
      '',
      '.',
      '..',
      '...',
      'A..B',
      '.A',
      'A.',
      '^',
      'A^B',
      'ﬃ'.repeat(7),
      'ß',
    ];
    let taken = 0;
    for (const input of inputs) {
      if (!canonicalSymbol.test(input)) continue;
      taken += 1;
      expect(symbolSchema.safeParse(input)).toEqual({ success: true, data: input });
    }
    // The pattern must not be trivially strict: it takes most canonical symbols.
    expect(taken).toBeGreaterThan(1_000);
    for (const symbol of ['AAPL', 'BRK.B', '^GSPC', 'BTC-USD', 'X:BTCUSD', 'A'.repeat(20)]) {
      expect(canonicalSymbol.test(symbol)).toBe(true);
    }
    for (const symbol of ['aapl', ' AAPL', 'AAPL ', 'A'.repeat(21), '', '.', '..', 'A..B', '.A', 'A.', 'A^B']) {
      expect(canonicalSymbol.test(symbol)).toBe(false);
    }
  });

  it('take only currency codes isoCurrency returns unchanged', () => {
    let taken = 0;
    for (const input of [...candidates(currencyAlphabet, [0, 2, 3, 4], 5_000), 'EUR', 'eur', 'EU', 'EURO']) {
      if (!canonicalIsoCurrency.test(input)) continue;
      taken += 1;
      expect(isoCurrency.safeParse(input)).toEqual({ success: true, data: input });
    }
    expect(taken).toBeGreaterThan(50);
    expect(canonicalIsoCurrency.test('EUR')).toBe(true);
    expect(canonicalIsoCurrency.test('eur')).toBe(false);
  });
});
