import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { Deadline, type TimedSignal } from '../../src/resilience/deadline.js';
import { buildTestGateway } from '../helpers/build-app.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('deadline timers', () => {
  it('are all stopped once a request is answered, failover included', async () => {
    const gateway = await buildTestGateway();
    await gateway.app.inject({ method: 'POST', url: '/sandbox/vendors/polygon/fault', payload: { mode: 'error' } });
    const requestEnds = vi.spyOn(Deadline.prototype, 'end');
    const attemptEnds: Mock[] = [];
    const attemptSignal = Deadline.prototype.attemptSignal;
    vi.spyOn(Deadline.prototype, 'attemptSignal').mockImplementation(function (this: Deadline, ms: number) {
      const timed: TimedSignal = attemptSignal.call(this, ms);
      const end = vi.fn(() => timed.end());
      attemptEnds.push(end);
      return { signal: timed.signal, end };
    });

    const response = await gateway.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' });
    expect(response.json().meta.attempts.map((entry: { provider: string }) => entry.provider)).toEqual([
      'polygon',
      'finnhub',
    ]);
    expect(requestEnds).toHaveBeenCalledTimes(1);
    expect(attemptEnds).toHaveLength(2);
    for (const end of attemptEnds) expect(end).toHaveBeenCalledTimes(1);
  });
});
