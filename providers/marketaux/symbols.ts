/**
 * marketaux spells tickers the Yahoo way: a US share class or preferred series takes a hyphen (BRK-B, BK-PC) and a
 * listing abroad an exchange suffix after a dot (TSLA.MX, RICA.L, 0329.HK). Canonical tickers use the dot for the
 * share class (BRK.B), so only a one-letter class suffix is translated.
 */
const shareClass = /^([A-Z]{1,5})\.([A-Z])$/;
const usTicker = /^[A-Z]{1,5}(-[A-Z])?$/;

/** BRK.B → BRK-B; every other ticker goes as asked. */
export function toMarketauxSymbol(symbol: string): string {
  return symbol.toUpperCase().replace(shareClass, '$1-$2');
}

export interface MarketauxEntity {
  symbol?: string | null | undefined;
  country?: string | null | undefined;
}

/**
 * The canonical ticker of a tagged entity, or null for what has none: a listing abroad (TSLA.MX, country "mx"), an
 * index or currency pair (^GSPC, EURUSD with country "global"). BRK-B → BRK.B.
 */
export function canonicalTicker(entity: MarketauxEntity): string | null {
  const symbol = entity.symbol?.trim().toUpperCase() ?? '';
  if ((entity.country ?? 'us').toLowerCase() !== 'us' || !usTicker.test(symbol)) return null;
  return symbol.replace('-', '.');
}
