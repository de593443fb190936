import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src/store/redis.js';

describe('parseRedisUrl', () => {
  it('passes a single-server URL to ioredis as it is', () => {
    expect(parseRedisUrl('rediss://user:pw@cache.internal:6380/2')).toEqual({
      kind: 'standalone',
      url: 'rediss://user:pw@cache.internal:6380/2',
    });
  });

  it('reads sentinels, the master name, credentials and the database', () => {
    expect(parseRedisUrl('redis+sentinel://:s%40cret@10.0.0.1:26379,10.0.0.2/mymaster/3')).toEqual({
      kind: 'sentinel',
      options: {
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26379 },
        ],
        name: 'mymaster',
        password: 's@cret',
        db: 3,
      },
    });
  });

  it('reads cluster nodes', () => {
    expect(parseRedisUrl('redis+cluster://node-a:7000,node-b:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'node-a', port: 7000 },
        { host: 'node-b', port: 7001 },
      ],
      options: {},
    });
  });

  it('refuses a sentinel URL without the master name', () => {
    expect(() => parseRedisUrl('redis+sentinel://10.0.0.1:26379')).toThrow(/master name/);
  });
});
