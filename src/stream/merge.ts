import type { CryptoPrice, StockQuote, StreamTick } from '../core/index.js';
import { streamQuoteCurrency, type StreamModel } from './topics.js';

/**
 * A vendor stream sends trades or prices, not quotes (src/core/stream.ts): each tick is applied to the symbol's last
 * model (the REST answer the poller or the seed read, then every tick since), so subscribers get the REST models.
 * Stocks: change and changePercent from previousClose, the session's high and low widened, volume grown by the trade.
 * Crypto: the 24-hour change kept against the same reference price, market cap scaled with the price, the trade's
 * value added to the 24-hour volume. Without a model (the REST read failed) the tick alone gives the price.
 */
export function applyTick(model: StreamModel | undefined, tick: StreamTick): StreamModel {
  return tick.channel === 'stocks.quote'
    ? applyStockTick(model as StockQuote | undefined, tick)
    : applyCryptoTick(model as CryptoPrice | undefined, tick);
}

function applyStockTick(quote: StockQuote | undefined, tick: StreamTick): StockQuote {
  const { price } = tick;
  const previousClose = quote?.previousClose ?? null;
  const change = previousClose === null ? null : rounded(price - previousClose);
  return {
    symbol: tick.symbol,
    price,
    change,
    changePercent: change === null || previousClose === 0 ? null : rounded((change / (previousClose as number)) * 100),
    open: quote?.open ?? null,
    high: quote?.high == null ? null : Math.max(quote.high, price),
    low: quote?.low == null ? null : Math.min(quote.low, price),
    previousClose,
    volume: quote?.volume == null || tick.size === null ? (quote?.volume ?? null) : quote.volume + tick.size,
    currency: quote?.currency ?? null,
    asOf: tick.at.toISOString(),
  };
}

function applyCryptoTick(last: CryptoPrice | undefined, tick: StreamTick): CryptoPrice {
  const { price } = tick;
  const reference = last?.change24h == null ? null : last.price - last.change24h;
  const change24h = reference === null ? null : rounded(price - reference);
  return {
    symbol: tick.symbol,
    vs: last?.vs ?? streamQuoteCurrency,
    price,
    change24h,
    changePercent24h: change24h === null || reference === 0 ? null : rounded((change24h / (reference as number)) * 100),
    marketCap: last?.marketCap == null || last.price === 0 ? null : rounded((last.marketCap * price) / last.price),
    volume24h:
      last?.volume24h == null || tick.size === null
        ? (last?.volume24h ?? null)
        : rounded(last.volume24h + tick.size * price),
    asOf: tick.at.toISOString(),
  };
}

/** Float noise off (0.1 + 0.2): six decimals is finer than any price or percentage a vendor sends. */
function rounded(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
