import { createHash } from 'node:crypto';

/**
 * Deterministic market data for the simulators: the same symbol and instant always give the same numbers, so tests can
 * compare vendors and a demo user sees prices move as time passes. Prices follow a random walk seeded by the symbol.
 */

function unitRandom(...parts: (string | number)[]): number {
  const digest = createHash('sha256').update(parts.join('|')).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

/** A starting price between 5 and 500, fixed per symbol; crypto gets bigger numbers for BTC/ETH to look familiar. */
export function basePrice(symbol: string): number {
  const known: Record<string, number> = {
    BTC: 90_000,
    ETH: 3_200,
    AAPL: 190,
    MSFT: 420,
    EURUSD: 1.08,
    GBPUSD: 1.27,
    USDJPY: 150,
  };
  return known[symbol] ?? 5 + unitRandom('base', symbol) * 495;
}

const stepMs = 60_000;

/** Price of `symbol` at instant `ms`: a walk of ±0.2 % per minute around its base, bounded to ±40 %. */
export function priceAt(symbol: string, ms: number): number {
  const base = basePrice(symbol);
  const step = Math.floor(ms / stepMs);
  // Sum of a few sine waves with symbol-specific phases: a deterministic, O(1) stand-in for a random walk.
  const phase = unitRandom('phase', symbol) * Math.PI * 2;
  const drift =
    0.15 * Math.sin(step / 4_000 + phase) +
    0.08 * Math.sin(step / 300 + phase * 2) +
    0.02 * Math.sin(step / 17 + phase * 3);
  const noise = (unitRandom('noise', symbol, step) - 0.5) * 0.004;
  return round(base * (1 + drift + noise), base < 10 ? 5 : 2);
}

/** Dollars per unit of the fiat currencies the simulators quote, at the market's base level. */
const usdPerFiatUnit: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 1.08,
  GBP: 1.27,
  JPY: 1 / 150,
  CHF: 1.13,
  CAD: 0.73,
  AUD: 0.66,
  CNY: 0.14,
  SEK: 0.095,
  NZD: 0.6,
};

export const fiatCurrencies: readonly string[] = Object.keys(usdPerFiatUnit);

export function isFiat(currency: string): boolean {
  return Object.hasOwn(usdPerFiatUnit, currency);
}

/**
 * Dollars per unit of a fiat currency at `ms`, walking around its table value as the pair's price does (EUR around 1.08
 * as EURUSD moves), so every simulator quotes the same EUR/GBP at the same instant; undefined outside the table.
 */
export function fiatUsdValue(currency: string, ms: number): number | undefined {
  if (!isFiat(currency)) return undefined;
  if (currency === 'USD') return 1;
  const pair = `${currency}USD`;
  return (usdPerFiatUnit[currency] ?? 1) * (priceAt(pair, ms) / basePrice(pair));
}

/** Dollars per unit of `asset` at `ms`: a fiat currency from the table, anything else priced as a coin by its ticker. */
export function usdValue(asset: string, ms: number): number {
  return fiatUsdValue(asset, ms) ?? priceAt(asset, ms);
}

/** Units of `quote` one unit of `base` buys at `ms`, unrounded: each simulator rounds as its vendor does. */
export function crossRate(base: string, quote: string, ms: number): number {
  return usdValue(base, ms) / usdValue(quote, ms);
}

export interface SimulatedBar {
  openMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One bar of `lengthMs` starting at `openMs`. */
export function barAt(symbol: string, openMs: number, lengthMs: number): SimulatedBar {
  const open = priceAt(symbol, openMs);
  const close = priceAt(symbol, openMs + lengthMs - 1);
  const spread = Math.max(open, close) * 0.004 * unitRandom('spread', symbol, openMs);
  return {
    openMs,
    open,
    close,
    high: round(Math.max(open, close) + spread, open < 10 ? 5 : 2),
    low: round(Math.min(open, close) - spread, open < 10 ? 5 : 2),
    volume: Math.round(1_000_000 + unitRandom('volume', symbol, openMs) * 50_000_000),
  };
}

/** Bars from `fromMs` (inclusive) to `toMs` (exclusive), at most `limit`. */
export function barsBetween(
  symbol: string,
  fromMs: number,
  toMs: number,
  lengthMs: number,
  limit = 5_000,
): SimulatedBar[] {
  const bars: SimulatedBar[] = [];
  const first = Math.ceil(fromMs / lengthMs) * lengthMs;
  for (let t = first; t < toMs && bars.length < limit; t += lengthMs) bars.push(barAt(symbol, t, lengthMs));
  return bars;
}

export interface SimulatedStory {
  slug: string;
  title: string;
  summary: string;
  publishedMs: number;
  source: string;
  symbols: string[];
}

const sources = ['Market Wire', 'Daily Ledger', 'Finance Today', 'The Ticker Tape', 'Coin Journal'];
const verbs = ['rises', 'falls', 'steadies', 'rallies', 'slips', 'surprises analysts'];

/** `count` stories, newest first, one every 37 minutes, about `topic` (a ticker or keyword). */
export function storiesAbout(topic: string, nowMs: number, count: number): SimulatedStory[] {
  const stories: SimulatedStory[] = [];
  const latest = Math.floor(nowMs / (37 * stepMs)) * 37 * stepMs;
  for (let i = 0; i < count; i += 1) {
    const publishedMs = latest - i * 37 * stepMs;
    const pick = unitRandom('story', topic, publishedMs);
    const verb = verbs[Math.floor(pick * verbs.length)] ?? verbs[0];
    const source = sources[Math.floor(unitRandom('source', topic, publishedMs) * sources.length)] ?? 'Market Wire';
    const slug = `${topic.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${publishedMs}`;
    stories.push({
      slug,
      title: `${topic} ${verb} as markets digest the latest data`,
      summary: `A simulated story about ${topic}, published by ${source}.`,
      publishedMs,
      source,
      symbols: /^[A-Z.]{1,6}$/.test(topic) ? [topic] : [],
    });
  }
  return stories;
}

/** Stories about any of `topics`, newest first: `perTopic` each, the latest at `untilMs`, none before `fromMs`. */
export function storiesAboutAny(
  topics: readonly string[],
  untilMs: number,
  perTopic: number,
  fromMs = Number.NEGATIVE_INFINITY,
): SimulatedStory[] {
  return topics
    .flatMap((topic) => storiesAbout(topic, untilMs, perTopic))
    .filter((story) => story.publishedMs >= fromMs)
    .sort((a, b) => b.publishedMs - a.publishedMs);
}

/**
 * The ticker convention every simulator shares: symbols starting with ZZZ, UNKNOWN and the empty string do not exist;
 * every other well-formed ticker does. Each simulator answers an unknown one the way its vendor does.
 */
export function isUnknownSymbol(symbol: string): boolean {
  return symbol === '' || symbol === 'UNKNOWN' || symbol.startsWith('ZZZ');
}

/** The index-th synthetic ticker: BAAA, BAAB, …, BZZZ (17,576 of them), all well-formed and known. */
export function syntheticTicker(index: number): string {
  let letters = '';
  for (let rest = index, width = 0; width < 3; width += 1, rest = Math.floor(rest / 26)) {
    letters = String.fromCharCode(65 + (rest % 26)) + letters;
  }
  return `B${letters}`;
}

/**
 * What a whole-market answer lists (polygon's full-market snapshot): a few familiar names and the first 2,000 synthetic
 * tickers, a fifth of the real US market's 10,000+, so a sweep costs the gateway what a real one would at that scale.
 */
export const listedStocks: readonly string[] = [
  ...['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA', 'BRK.B', 'JPM', 'V'],
  ...Array.from({ length: 2_000 }, (_, index) => syntheticTicker(index)),
];

/** The public page of a simulated story: the same story has the same URL at every news vendor, as syndicated news does. */
export function storyUrl(story: SimulatedStory): string {
  return `https://news.example.com/${story.slug}`;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
