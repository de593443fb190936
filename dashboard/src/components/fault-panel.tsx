import { useState } from 'preact/hooks';
import type { SimulatorStatus } from '../../../sandbox/control-routes.js';
import type { FaultMode } from '../../../sandbox/faults.js';

/** The faults a newcomer most wants to see the gateway survive, as sandbox/faults.ts names them. */
const faultButtons: { mode: FaultMode; label: string }[] = [
  { mode: 'ok', label: 'Healthy' },
  { mode: 'hang', label: 'Hang' },
  { mode: 'error', label: '500' },
  { mode: 'rate-limited', label: '429' },
  { mode: 'malformed', label: 'Malformed' },
];

interface FaultPanelProps {
  simulators: readonly SimulatorStatus[];
  setFault(vendor: string, mode: FaultMode): Promise<void>;
}

/** Demo mode only (npm run demo): make a simulated vendor misbehave and watch the feed and the table react. */
export function FaultPanel({ simulators, setFault }: FaultPanelProps) {
  const [vendor, setVendor] = useState(simulators[0]?.vendor ?? '');
  const [error, setError] = useState<string | null>(null);
  const apply = (mode: FaultMode) =>
    setFault(vendor, mode).then(
      () => setError(null),
      (failure: Error) => setError(failure.message),
    );
  return (
    <section aria-labelledby="faults-title" class="faults">
      <h2 id="faults-title">Simulated vendors</h2>
      <p>
        Demo mode: put a simulator into a fault, then send traffic (
        <code>curl -H 'cache-control: no-cache' …/v1/stocks/MSFT/quote</code>) and watch the failover.
      </p>
      <div class="fault-controls">
        <label>
          Vendor{' '}
          <select value={vendor} onChange={(event) => setVendor(event.currentTarget.value)}>
            {simulators.map((simulator) => (
              <option key={simulator.vendor} value={simulator.vendor}>
                {simulator.vendor}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="Fault">
          {faultButtons.map((button) => (
            <button type="button" key={button.mode} data-fault={button.mode} onClick={() => void apply(button.mode)}>
              {button.label}
            </button>
          ))}
        </div>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="simulators">
        {simulators
          .filter((simulator) => simulator.fault.mode !== 'ok')
          .map((simulator) => (
            <li key={simulator.vendor} data-simulator={simulator.vendor}>
              {simulator.vendor}: <strong>{simulator.fault.mode}</strong>
            </li>
          ))}
      </ul>
    </section>
  );
}
