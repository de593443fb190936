import type { NotFound } from '../../src/core/index.js';
import { cryptoAsset } from '../common/crypto-assets.js';

// coingecko knows coins by id and several coins share a ticker (docs/vendors.md#coingecko), so only the
// common table maps a ticker to an id; a ticker missing there is never guessed.
export function coinIdFor(symbol: string): string | undefined {
  return cryptoAsset(symbol)?.coingeckoId;
}

export function unmappedSymbol(symbol: string): NotFound {
  return { notFound: true, detail: `no coingecko id for ${symbol}` };
}
