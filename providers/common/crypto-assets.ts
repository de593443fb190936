/**
 * The one table that maps a crypto ticker to a coin. Several coins share tickers on the vendors' lists (coingecko's
 * /coins/list has many "btc"), so a ticker missing here is never guessed from a vendor's search: add a row instead.
 */
export interface CryptoAsset {
  name: string;
  coingeckoId: string;
}

export const cryptoAssets: Readonly<Record<string, CryptoAsset>> = {
  ADA: { name: 'Cardano', coingeckoId: 'cardano' },
  AVAX: { name: 'Avalanche', coingeckoId: 'avalanche-2' },
  BCH: { name: 'Bitcoin Cash', coingeckoId: 'bitcoin-cash' },
  BNB: { name: 'BNB', coingeckoId: 'binancecoin' },
  BTC: { name: 'Bitcoin', coingeckoId: 'bitcoin' },
  DOGE: { name: 'Dogecoin', coingeckoId: 'dogecoin' },
  DOT: { name: 'Polkadot', coingeckoId: 'polkadot' },
  ETH: { name: 'Ethereum', coingeckoId: 'ethereum' },
  LINK: { name: 'Chainlink', coingeckoId: 'chainlink' },
  LTC: { name: 'Litecoin', coingeckoId: 'litecoin' },
  MATIC: { name: 'Polygon', coingeckoId: 'matic-network' },
  SOL: { name: 'Solana', coingeckoId: 'solana' },
  TRX: { name: 'TRON', coingeckoId: 'tron' },
  USDC: { name: 'USD Coin', coingeckoId: 'usd-coin' },
  USDT: { name: 'Tether', coingeckoId: 'tether' },
  XLM: { name: 'Stellar', coingeckoId: 'stellar' },
  XRP: { name: 'XRP', coingeckoId: 'ripple' },
};

export function cryptoAsset(symbol: string): CryptoAsset | undefined {
  return Object.hasOwn(cryptoAssets, symbol) ? cryptoAssets[symbol] : undefined;
}
