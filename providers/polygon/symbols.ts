// polygon spells share classes with a dot (BRK.B), like our canonical tickers, so stock tickers pass through.

export function stockTicker(symbol: string): string {
  return encodeURIComponent(symbol.toUpperCase());
}

/** Crypto pairs are `X:` + base + quote (X:BTCUSD); the colon stays literal in the path, as polygon's docs write it. */
export function cryptoTicker(symbol: string, vs: string): string {
  return `X:${encodeURIComponent(symbol.toUpperCase())}${encodeURIComponent(vs.toUpperCase())}`;
}
