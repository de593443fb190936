import { ago, formatMoney, formatMs, formatPercent, spendToday, unavailableBecause } from '../model.js';
import type { ProviderStatus, VendorHistory } from '../model.js';
import { Sparkline } from './sparkline.js';

interface VendorTableProps {
  providers: readonly ProviderStatus[];
  history: ReadonlyMap<string, VendorHistory>;
}

/** Every configured vendor, one row each; below 760 px wide each row becomes a card (styles.css). */
export function VendorTable({ providers, history }: VendorTableProps) {
  return (
    <section aria-labelledby="vendors-title">
      <h2 id="vendors-title">Vendors</h2>
      <table class="vendors">
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {providers.map((provider) => (
            <VendorRow key={provider.name} provider={provider} history={history.get(provider.name)} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

const columns = [
  'Vendor',
  'Tier',
  'State',
  'Score',
  'Breaker',
  'Quota left',
  'In flight',
  'p50 / p95',
  'Errors',
  'Spend today',
  'Latency',
  'Calls/s',
];

function VendorRow({ provider, history }: { provider: ProviderStatus; history: VendorHistory | undefined }) {
  const blocked = unavailableBecause(provider);
  const state = !provider.enabled ? 'disabled' : (provider.health?.status ?? 'unknown');
  const stateNote = provider.health?.reasons.length ? provider.health.reasons.join(', ') : blocked;
  const cell = (index: number) => ({ 'data-label': columns[index] });
  return (
    <tr data-vendor={provider.name} class={blocked ? 'blocked' : undefined}>
      <th scope="row" {...cell(0)}>
        {provider.name}
      </th>
      <td {...cell(1)}>{provider.tier ?? '–'}</td>
      <td {...cell(2)}>
        <span class={`badge ${state}`}>{state}</span>
        {stateNote && <small>{stateNote}</small>}
      </td>
      <td {...cell(3)}>
        {provider.score ? (
          <span
            title={Object.entries(provider.score.parts)
              .map(([part, value]) => `${part} ${value.toFixed(2)}`)
              .join(' · ')}
          >
            {provider.score.value.toFixed(2)}
          </span>
        ) : (
          '–'
        )}
      </td>
      <td {...cell(4)}>
        {provider.breaker ? (
          <>
            <span class={`badge breaker-${provider.breaker.state}`}>{provider.breaker.state}</span>
            <small>since {ago(provider.breaker.since)}</small>
          </>
        ) : (
          '–'
        )}
        {provider.cooldownUntil && <small>resting until {new Date(provider.cooldownUntil).toLocaleTimeString()}</small>}
      </td>
      <td {...cell(5)}>
        {provider.quota.length === 0
          ? 'unlimited'
          : provider.quota.map((window) => (
              <div key={window.window}>
                {window.window}: {window.remaining}/{window.limit}
              </div>
            ))}
      </td>
      <td {...cell(6)}>
        {provider.inFlight}
        {provider.queued > 0 && <small>{provider.queued} queued</small>}
      </td>
      <td {...cell(7)}>
        {formatMs(provider.latencyMs.p50)} / {formatMs(provider.latencyMs.p95)}
      </td>
      <td {...cell(8)}>{formatPercent(provider.errorRate)}</td>
      <td {...cell(9)}>{formatMoney(spendToday(provider))}</td>
      <td {...cell(10)}>
        <Sparkline
          label={`${provider.name} p50 latency`}
          at={history?.at ?? []}
          values={history?.p50Ms ?? []}
          unit="ms"
        />
      </td>
      <td {...cell(11)}>
        <Sparkline
          label={`${provider.name} calls per second`}
          at={history?.at ?? []}
          values={history?.callsPerSecond ?? []}
          unit="/s"
        />
      </td>
    </tr>
  );
}
