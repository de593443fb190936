import { describe, expect, it } from 'vitest';
import { mentionedTickers } from '../../../providers/shared/news.js';

describe('mentionedTickers', () => {
  it('finds tickers standing as whole words, cashtags included', () => {
    expect(mentionedTickers(['AAPL', 'MSFT', 'NVDA'], 'Apple (AAPL) and $NVDA rally; MSFT.')).toEqual([
      'AAPL',
      'MSFT',
      'NVDA',
    ]);
  });

  it('ignores tickers inside longer words and in lower case', () => {
    expect(mentionedTickers(['AAPL', 'MSFT'], 'AAPLX fund buys msft')).toEqual([]);
  });

  it('tells BRK.B from BRK.A', () => {
    expect(mentionedTickers(['BRK.B', 'BRK'], 'Berkshire BRK.A slips')).toEqual([]);
    expect(mentionedTickers(['BRK.B'], 'Berkshire (BRK.B) slips')).toEqual(['BRK.B']);
  });

  it('counts one-letter tickers only as cashtags', () => {
    expect(mentionedTickers(['A', 'F'], 'A rally lifts $F shares')).toEqual(['F']);
  });
});
