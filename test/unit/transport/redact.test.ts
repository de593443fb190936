import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/log.js';
import { redactUrl } from '../../../src/transport/redact.js';

describe('redactUrl', () => {
  it.each([
    ['https://api.example.com/v2?apiKey=abc123&x=1', 'https://api.example.com/v2?apiKey=[REDACTED]&x=1'],
    [
      'https://finnhub.io/api/v1/quote?symbol=AAPL&token=abc',
      'https://finnhub.io/api/v1/quote?symbol=AAPL&token=[REDACTED]',
    ],
    [
      'http://api.mediastack.com/v1/news?access_key=abc&keywords=x',
      'http://api.mediastack.com/v1/news?access_key=[REDACTED]&keywords=x',
    ],
    ['/api/v3/simple/price?x_cg_demo_api_key=abc', '/api/v3/simple/price?x_cg_demo_api_key=[REDACTED]'],
    ['request to /query?function=X&apikey=abc failed', 'request to /query?function=X&apikey=[REDACTED] failed'],
  ])('scrubs %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('leaves URLs without secrets alone', () => {
    expect(redactUrl('/v1/stocks/AAPL/quote?provider=polygon')).toBe('/v1/stocks/AAPL/quote?provider=polygon');
  });
});

describe('logger', () => {
  it('censors key headers and scrubs keyed URLs in errors', () => {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      }),
    );
    const error = Object.assign(new Error('GET https://api.example.com/q?apikey=TOPSECRET1 failed'), {
      code: 'ECONNRESET',
    });
    logger.error(
      { err: error, req: { headers: { authorization: 'Bearer TOPSECRET2', 'x-api-key': 'TOPSECRET3' } } },
      'boom',
    );
    logger.info({ config: { providers: { polygon: { apiKey: 'TOPSECRET4' } } } }, 'config');
    const output = lines.join('');
    for (const secret of ['TOPSECRET1', 'TOPSECRET2', 'TOPSECRET3', 'TOPSECRET4']) expect(output).not.toContain(secret);
    expect(output).toContain('ECONNRESET');
  });
});
