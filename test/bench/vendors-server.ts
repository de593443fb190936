import { faultSchema } from '../../sandbox/faults.js';
import { simulators } from '../../sandbox/simulators.js';
import { startSandbox } from '../../sandbox/start.js';

/**
 * The polygon simulator for `npm run bench`, in its own process. Prints its URL as one JSON line; over IPC it takes a
 * fault (`{ fault: { mode, delayMs } }`) and tells how many requests it has served (`'requests'`).
 */
const sandbox = await startSandbox(simulators.filter((definition) => definition.vendor === 'polygon'));
const polygon = sandbox.simulators[0];
if (!polygon) throw new Error('no polygon simulator');
process.stdout.write(JSON.stringify({ url: polygon.url }) + '\n');
process.on('message', (message: unknown) => {
  if (message === 'requests') {
    process.send?.({ requests: polygon.requestCount });
    return;
  }
  polygon.setFault(faultSchema.parse((message as { fault?: unknown }).fault));
  process.send?.({ fault: polygon.fault });
});
process.on('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
