import type { GatewayProblem, NewsArticle, StockQuote } from '@market-data-gateway/client';
import { useCryptoPrice, useNews, useProviderStatus, useQuotes } from '@market-data-gateway/react';

const watchlist = ['AAPL', 'MSFT', 'NVDA', 'AMZN'];

export function App() {
  return (
    <main>
      <header>
        <h1>Watchlist</h1>
        <TopMover />
        <VendorSummary />
      </header>
      <Quotes />
      <Headlines />
    </main>
  );
}

function Quotes() {
  const quotes = useQuotes(watchlist);
  const bitcoin = useCryptoPrice('BTC', { vs: 'USD' });
  return (
    <section aria-labelledby="prices">
      <h2 id="prices">Prices</h2>
      {quotes.error && <ProblemNotice problem={quotes.error} />}
      <table>
        <thead>
          <tr>
            <th>Symbol</th>
            <th>Price</th>
            <th>Change</th>
            <th>Vendor</th>
          </tr>
        </thead>
        <tbody>
          {quotes.data?.data.quotes.map((quote) => (
            <QuoteRow key={quote.symbol} quote={quote} provider={quotes.data.meta.provider} />
          ))}
          {bitcoin.data && (
            <tr data-testid="quote-BTC">
              <td>BTC</td>
              <td>{formatPrice(bitcoin.data.data.price)}</td>
              <td />
              <td>{bitcoin.data.meta.provider}</td>
            </tr>
          )}
        </tbody>
      </table>
      {quotes.data && (
        <p className="meta">
          {quotes.data.meta.cache} · refreshed {new Date(quotes.dataUpdatedAt).toLocaleTimeString()} · next in{' '}
          {Math.round(Math.max(1_000, quotes.data.freshForMs) / 1000)} s
        </p>
      )}
    </section>
  );
}

/** The same useQuotes key as the table: TanStack Query sends one request for both. */
function TopMover() {
  const quotes = useQuotes(watchlist);
  const top = quotes.data?.data.quotes.reduce((best, quote) =>
    Math.abs(quote.changePercent ?? 0) > Math.abs(best.changePercent ?? 0) ? quote : best,
  );
  if (!top) return null;
  return (
    <p className="meta" data-testid="top-mover">
      top mover {top.symbol} {formatChange(top.changePercent)}
    </p>
  );
}

function QuoteRow({ quote, provider }: { quote: StockQuote; provider: string }) {
  const change = quote.changePercent;
  return (
    <tr data-testid={`quote-${quote.symbol}`}>
      <td>{quote.symbol}</td>
      <td>{formatPrice(quote.price)}</td>
      <td className={change === null ? '' : change >= 0 ? 'up' : 'down'}>{formatChange(change)}</td>
      <td>{provider}</td>
    </tr>
  );
}

function Headlines() {
  const news = useNews({ symbols: watchlist.join(','), limit: 6 });
  return (
    <section aria-labelledby="headlines">
      <h2 id="headlines">Headlines</h2>
      {news.error && <ProblemNotice problem={news.error} />}
      <ul>
        {news.data?.data.articles.map((article) => (
          <Headline key={article.url} article={article} />
        ))}
      </ul>
    </section>
  );
}

function Headline({ article }: { article: NewsArticle }) {
  return (
    <li>
      <a href={article.url} rel="noreferrer noopener" target="_blank">
        {article.title}
      </a>
      <span className="meta"> {article.source}</span>
    </li>
  );
}

/** How many vendors are healthy: the same hook an operator page would use. */
function VendorSummary() {
  const providers = useProviderStatus();
  if (!providers.data) return null;
  const healthy = providers.data.data.filter((provider) => provider.health?.status === 'healthy').length;
  return (
    <p className="meta" data-testid="vendors">
      {healthy} of {providers.data.data.length} vendors healthy
    </p>
  );
}

/** RFC 9457 problem details, as the gateway (or whatever answered for it) sent them. */
function ProblemNotice({ problem }: { problem: GatewayProblem }) {
  const { title, status, detail, requestId } = problem.problem;
  return (
    <div role="alert" className="problem" data-testid="problem">
      <strong>
        {title}
        {status > 0 && ` (${status})`}
      </strong>
      {detail && <p>{detail}</p>}
      {problem.attempts.length > 0 && (
        <ul>
          {problem.attempts.map((attempt, index) => (
            <li key={index}>
              {attempt.provider}: {attempt.outcome}
              {attempt.detail && ` (${attempt.detail})`}
            </li>
          ))}
        </ul>
      )}
      <p className="meta">
        {problem.retryAfterSeconds !== undefined && `retry in ${problem.retryAfterSeconds} s · `}
        {requestId && `request ${requestId} · `}showing the last prices until the gateway answers again
      </p>
    </div>
  );
}

function formatChange(percent: number | null): string {
  return percent === null ? '–' : `${percent >= 0 ? '+' : ''}${percent.toFixed(2)} %`;
}

function formatPrice(price: number): string {
  return price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
