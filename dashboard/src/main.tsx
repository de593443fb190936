import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import type { StreamedEvent } from '../../src/core/events.js';
import type { InstanceStatus } from '../../src/http/routes/instances.js';
import type { SimulatorStatus } from '../../sandbox/control-routes.js';
import type { FaultMode } from '../../sandbox/faults.js';
import { getJson, getText, operatorKey, postJson, ProblemError } from './api.js';
import { cacheCounts, countsSince, type CacheCounts } from './cache-stats.js';
import { followEvents, type StreamState } from './event-stream.js';
import { addToFeed } from './feed.js';
import { recordPoll, type ProviderStatus, type VendorHistory } from './model.js';
import { CachePanel } from './components/cache-panel.js';
import { Coverage } from './components/coverage.js';
import { EventFeed } from './components/event-feed.js';
import { FaultPanel } from './components/fault-panel.js';
import { Instances } from './components/instances.js';
import { KeyForm } from './components/key-form.js';
import { VendorTable } from './components/vendor-table.js';

const providersPollMs = 2_000;
const metricsPollMs = 10_000;
const instancesPollMs = 10_000;

const operatorRoutesElsewhere =
  'The operator endpoints do not answer on this port: open the dashboard on the admin port (auth.adminPort).';

/** Runs `load` now and every `everyMs` while `active`; a new `session` starts it over. */
function usePoll(load: () => Promise<void>, everyMs: number, active: boolean, session: number) {
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    if (!active) return;
    const run = () => void latest.current();
    run();
    const timer = setInterval(run, everyMs);
    return () => clearInterval(timer);
  }, [everyMs, active, session]);
}

function App() {
  const [session, setSession] = useState(0);
  const [keyNeeded, setKeyNeeded] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [providers, setProviders] = useState<ProviderStatus[] | null>(null);
  const [history, setHistory] = useState<Map<string, VendorHistory>>(new Map());
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [feed, setFeed] = useState<StreamedEvent[]>([]);
  const [streamState, setStreamState] = useState<StreamState>('connecting');
  const [cache, setCache] = useState<{ total: CacheCounts; recent: CacheCounts | null } | null>(null);
  const [instances, setInstances] = useState<InstanceStatus[]>([]);
  // null: not asked yet or not the demo (no /sandbox routes); then the fault panel stays hidden.
  const [simulators, setSimulators] = useState<SimulatorStatus[] | null>(null);
  const [demo, setDemo] = useState(true);
  const openedAt = useRef(performance.now());
  const active = keyNeeded === null;

  const fail = (failure: unknown) => {
    if (failure instanceof ProblemError && failure.needsKey) {
      setKeyNeeded(failure.detail || failure.title || 'the gateway asks for the operator key');
    } else if (failure instanceof ProblemError && failure.status === 404) setError(operatorRoutesElsewhere);
    else setError(failure instanceof Error ? failure.message : String(failure));
  };

  usePoll(
    () =>
      getJson<{ data: ProviderStatus[] }>('/v1/providers').then(({ data }) => {
        setProviders(data);
        setHistory((before) => recordPoll(before, data, (performance.now() - openedAt.current) / 1000));
        setUpdatedAt(new Date());
        setError(null);
      }, fail),
    providersPollMs,
    active,
    session,
  );
  usePoll(
    () =>
      getText('/metrics').then((text) => {
        const total = cacheCounts(text);
        setCache((before) => ({ total, recent: before ? countsSince(total, before.total) : null }));
      }, fail),
    metricsPollMs,
    active,
    session,
  );
  usePoll(
    () => getJson<{ data: InstanceStatus[] }>('/v1/instances').then(({ data }) => setInstances(data), fail),
    instancesPollMs,
    active,
    session,
  );
  const loadSimulators = () =>
    getJson<{ data: SimulatorStatus[] }>('/sandbox/vendors').then(
      ({ data }) => setSimulators(data),
      (failure: unknown) => {
        if (failure instanceof ProblemError && failure.status === 404) setDemo(false);
        else fail(failure);
      },
    );
  usePoll(loadSimulators, providersPollMs, active && demo, session);

  useEffect(() => {
    if (!active) return;
    return followEvents({
      onEvent: (event) => setFeed((before) => addToFeed(before, event)),
      onState: (state, detail) => {
        setStreamState(state);
        if (state === 'needs-key') setKeyNeeded(detail || 'the event stream needs the operator key');
      },
    });
  }, [active, session]);

  const setFault = async (vendor: string, mode: FaultMode) => {
    await postJson(`/sandbox/vendors/${encodeURIComponent(vendor)}/fault`, { mode });
    await loadSimulators();
  };

  if (keyNeeded !== null) {
    return (
      <KeyForm
        reason={keyNeeded}
        onKey={(key) => {
          operatorKey.set(key);
          setKeyNeeded(null);
          setSession((count) => count + 1);
        }}
      />
    );
  }
  return (
    <>
      <header>
        <h1>market-data-gateway</h1>
        <p>
          {providers ? `${providers.length} vendors` : 'loading…'}
          {updatedAt && ` · updated ${updatedAt.toLocaleTimeString()}`}
          {` · ${instances.length || 1} instance${instances.length > 1 ? 's' : ''}`}
        </p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </header>
      <main>
        {providers && <VendorTable providers={providers} history={history} />}
        <div class="panels">
          <EventFeed events={feed} state={streamState} />
          {providers && <Coverage providers={providers} />}
          <CachePanel
            total={cache?.total ?? null}
            recent={cache?.recent ?? null}
            recentSeconds={metricsPollMs / 1000}
          />
          <Instances instances={instances} />
          {demo && simulators && <FaultPanel simulators={simulators} setFault={setFault} />}
        </div>
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (root) {
  root.replaceChildren();
  render(<App />, root);
}
