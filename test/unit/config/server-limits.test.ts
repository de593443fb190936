import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.js';
import { ConfigError, parseConfig } from '../../../src/config/load.js';

const parse = (text: string) =>
  parseConfig(`${text}\nproviders:\n  polygon: { tier: 1 }\n`, { adapters: providers, env: {} });

function problemsOf(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('server.* hardening keys', () => {
  it('has defaults when the server block is absent or partial', () => {
    expect(parse('').server).toMatchObject({
      host: '0.0.0.0',
      cors: { origins: [], maxAgeSeconds: 600 },
      underPressure: { maxEventLoopDelayMs: 1_000, retryAfterSeconds: 10, sampleIntervalMs: 1_000 },
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
      connectionTimeoutMs: 60_000,
      bodyLimitBytes: 8_192,
      maxParamLength: 64,
      maxHeaderBytes: 8_192,
    });
    expect(parse('').server.underPressure.maxHeapUsedBytes).toBeUndefined();
    expect(parse('server:\n  port: 9000\n').server.keepAliveTimeoutMs).toBe(72_000);
  });

  it('takes origins with a scheme and host only, or *', () => {
    const origins = ['https://app.example.com', 'http://localhost:5173', '*'];
    expect(parse(`server:\n  cors: { origins: ${JSON.stringify(origins)} }\n`).server.cors.origins).toEqual(origins);
    for (const bad of [
      'app.example.com',
      'https://app.example.com/',
      'https://app.example.com/path',
      '*.example.com',
    ]) {
      expect(problemsOf(`server:\n  cors: { origins: ["${bad}"] }\n`), bad).toEqual([
        expect.stringMatching(/^server\.cors\.origins\.0: must be an origin such as https:\/\/app\.example\.com/),
      ]);
    }
  });

  it('refuses a header timeout longer than the request timeout, as node would', () => {
    expect(problemsOf('server:\n  requestTimeoutMs: 5000\n  headersTimeoutMs: 6000\n')).toEqual([
      'server.headersTimeoutMs: must not exceed server.requestTimeoutMs (5000), as Node requires',
    ]);
  });

  it('refuses a connection timeout that would cut a request waiting for vendors or an idle event or live stream', () => {
    expect(problemsOf('server:\n  connectionTimeoutMs: 10000\nevents:\n  heartbeatMs: 15000\n')).toEqual([
      expect.stringMatching(
        /^server\.connectionTimeoutMs: must exceed routing\.deadlineMs, events\.heartbeatMs and stream\.pingIntervalMs \(15000\)/,
      ),
    ]);
    expect(problemsOf('server:\n  connectionTimeoutMs: 20000\nstream:\n  pingIntervalMs: 30000\n')).toEqual([
      expect.stringMatching(/^server\.connectionTimeoutMs: must exceed .* \(30000\)/),
    ]);
    expect(problemsOf('server:\n  connectionTimeoutMs: 3000\n')).toHaveLength(1);
    expect(
      parse('server:\n  connectionTimeoutMs: 0\nevents:\n  heartbeatMs: 300000\n').server.connectionTimeoutMs,
    ).toBe(0);
  });
});
