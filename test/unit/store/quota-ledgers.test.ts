import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQuotaLedger, type GrantRequest } from '../../../src/resilience/quota-ledger.js';
import { FileQuotaLedger } from '../../../src/store/quota-state-file.js';
import { RedisQuotaLedger } from '../../../src/store/redis-quota-ledger.js';
import { redisServerAvailable, startRedis, type TestRedis } from '../../helpers/redis.js';

const now = Date.now();
const later = now + 60_000;
const window = (limit: number, ...keys: string[]) => ({ limit, keys, forgetAt: later });

/** Grants that exercise every branch: partial grants, a spent window, returns below zero, several counters. */
const script: GrantRequest[] = [
  { adjustments: [], want: 5, windows: [window(100, 'day'), window(7, 'min:2', 'min:1')] },
  { adjustments: [], want: 5, windows: [window(100, 'day'), window(7, 'min:2', 'min:1')] },
  { adjustments: [], want: 5, windows: [window(100, 'day'), window(7, 'min:2', 'min:1')] },
  { adjustments: [{ key: 'min:2', delta: -3, forgetAt: later }], want: 0, windows: [window(7, 'min:2', 'min:1')] },
  {
    adjustments: [{ key: 'min:1', delta: -10, forgetAt: later }],
    want: 9,
    windows: [window(100, 'day'), window(7, 'min:3', 'min:2', 'min:1')],
  },
  { adjustments: [{ key: 'day', delta: 90, forgetAt: later }], want: 50, windows: [window(100, 'day')] },
  { adjustments: [], want: 1, windows: [window(100, 'day')] },
];
const expected = [
  { granted: 5, used: [5, 5] },
  { granted: 2, used: [7, 7] },
  { granted: 0, used: [7, 7] },
  { granted: 0, used: [4] },
  { granted: 3, used: [10, 7] },
  { granted: 0, used: [100] },
  { granted: 0, used: [100] },
];

describe('MemoryQuotaLedger', () => {
  it('grants the most every window has room for, atomically, with counters never below zero', async () => {
    const ledger = new MemoryQuotaLedger();
    const results = [];
    for (const request of script) results.push(await ledger.grant(request));
    expect(results).toEqual(expected);
  });
});

describe.skipIf(!redisServerAvailable)('RedisQuotaLedger (real redis-server)', () => {
  let redis: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('runs the same arithmetic as the memory ledger, in one script', async () => {
    const ledger = new RedisQuotaLedger(client);
    const results = [];
    for (const request of script) results.push(await ledger.grant(request));
    expect(results).toEqual(expected);
    // Counters expire with the last window that reads them.
    expect(await client.pexpiretime('day')).toBe(later);
    expect(await client.get('min:1')).toBe('0');
  });

  it('never grants more than the limit to concurrent callers', async () => {
    const ledger = new RedisQuotaLedger(client);
    const grants = await Promise.all(
      Array.from({ length: 40 }, () => ledger.grant({ adjustments: [], want: 3, windows: [window(50, 'race')] })),
    );
    expect(grants.reduce((sum, grant) => sum + grant.granted, 0)).toBe(50);
  });

  it('sends the script again after a restarted Redis forgot it', async () => {
    const ledger = new RedisQuotaLedger(client);
    await client.script('FLUSH');
    expect(await ledger.grant({ adjustments: [], want: 1, windows: [window(5, 'flushed')] })).toEqual({
      granted: 1,
      used: [1],
    });
  });
});

describe('FileQuotaLedger', () => {
  it('keeps its counters across a restart, written atomically', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'mdg-quota-file-'));
    const path = join(directory, 'nested', 'quotas.json');
    const problems: string[] = [];
    const first = new FileQuotaLedger(path, (problem) => problems.push(problem));
    expect(await first.grant({ adjustments: [], want: 3, windows: [window(3, 'month')] })).toEqual({
      granted: 3,
      used: [3],
    });
    await first.close();
    expect(readdirSync(join(directory, 'nested'))).toEqual(['quotas.json']); // no temporary file left behind
    expect(JSON.parse(readFileSync(path, 'utf8')).counters.month.count).toBe(3);

    const second = new FileQuotaLedger(path, (problem) => problems.push(problem));
    expect(await second.grant({ adjustments: [], want: 3, windows: [window(3, 'month')] })).toEqual({
      granted: 0,
      used: [3],
    });
    await second.close();
    expect(problems).toEqual([]);
  });

  it('starts from empty counters, and says so, when the file is not JSON', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mdg-quota-file-')), 'quotas.json');
    writeFileSync(path, '{"version":1,"coun');
    const problems: string[] = [];
    const ledger = new FileQuotaLedger(path, (problem) => problems.push(problem));
    expect(problems).toEqual([`quota state file ${path}: not valid JSON; starting from empty counters`]);
    await ledger.close();
  });
});
