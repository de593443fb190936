import { hitRatio, type CacheCounts } from '../cache-stats.js';
import { formatPercent } from '../model.js';

/** The response cache: hit ratio since this instance started and over the last poll interval. */
interface CachePanelProps {
  total: CacheCounts | null;
  /** Lookups over the last `recentSeconds`, between two reads of /metrics. */
  recent: CacheCounts | null;
  recentSeconds: number;
}

export function CachePanel({ total, recent, recentSeconds }: CachePanelProps) {
  return (
    <section aria-labelledby="cache-title">
      <h2 id="cache-title">Cache</h2>
      {total === null ? (
        <p class="empty">Waiting for /metrics…</p>
      ) : (
        <dl class="figures">
          <div>
            <dt>Hit ratio, last {recentSeconds} s</dt>
            <dd data-figure="cache-recent">{formatPercent(recent && hitRatio(recent))}</dd>
          </div>
          <div>
            <dt>Hit ratio since start</dt>
            <dd data-figure="cache-total">{formatPercent(hitRatio(total))}</dd>
          </div>
          <div>
            <dt>Lookups</dt>
            <dd>
              {total.hit} hit · {total.stale} stale · {total.coalesced} joined · {total.miss} miss
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
