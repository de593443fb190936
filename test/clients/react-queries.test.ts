import { createGatewayClient, GatewayProblem, type Answer } from '@market-data-gateway/client';
import { errorRefetchMs, minRefetchMs, nextRefetchMs, quoteQuery, quotesQuery } from '@market-data-gateway/react';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, onTestFinished } from 'vitest';
import { listeningGateway } from '../helpers/listening-gateway.js';

/** A client that counts the requests it sends. */
async function countingClient() {
  const gateway = await listeningGateway();
  const sent: string[] = [];
  const client = createGatewayClient({
    baseUrl: gateway.url,
    fetch: (input, init) => {
      sent.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    },
  });
  const queryClient = new QueryClient();
  onTestFinished(() => queryClient.clear());
  return { client, queryClient, sent };
}

const problem = (retryAfterSeconds?: number) =>
  new GatewayProblem(
    {
      type: 'urn:market-data-gateway:problem:no-provider',
      title: 'No vendor available',
      status: 503,
      instance: '/',
      requestId: 'r',
    },
    retryAfterSeconds,
  );
const fresh = (freshForMs: number): Answer<unknown> => ({ data: null, freshForMs });

describe('the hooks’ queries (TanStack Query)', () => {
  it('make one request for one key, however many components observe it', async () => {
    const { client, queryClient, sent } = await countingClient();
    const observers = [1, 2, 3].map(() => new QueryObserver(queryClient, quotesQuery(client, ['aapl', 'MSFT'])));
    const answers = await Promise.all(
      observers.map(
        (observer) =>
          new Promise((resolve) => {
            const unsubscribe = observer.subscribe((result) => {
              if (result.isSuccess) {
                unsubscribe();
                resolve(result.data.data.quotes.length);
              }
            });
          }),
      ),
    );
    expect(answers).toEqual([2, 2, 2]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/\/v1\/stocks\/quotes\?symbols=AAPL%2CMSFT$/);
  });

  it('keep an answer fresh for its freshForMs, and fail with the GatewayProblem', async () => {
    const { client, queryClient, sent } = await countingClient();
    const answer = await queryClient.fetchQuery(quoteQuery(client, 'AAPL'));
    expect(answer.freshForMs).toBe(5_000);
    await queryClient.fetchQuery(quoteQuery(client, 'aapl'));
    expect(sent).toHaveLength(1);
    const error = await queryClient.fetchQuery(quoteQuery(client, 'ZZZZ')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayProblem);
    expect((error as GatewayProblem).status).toBe(404);
  });
});

describe('nextRefetchMs', () => {
  it('asks again when the answer stops being fresh, never sooner than minRefetchMs', () => {
    expect(nextRefetchMs(fresh(5_000), null)).toBe(5_000);
    expect(nextRefetchMs(fresh(0), null)).toBe(minRefetchMs);
  });

  it('after a failure, waits for Retry-After, or errorRefetchMs without one', () => {
    expect(nextRefetchMs(fresh(5_000), problem(30))).toBe(30_000);
    expect(nextRefetchMs(undefined, problem())).toBe(errorRefetchMs);
  });

  it('does not poll before the first answer', () => {
    expect(nextRefetchMs(undefined, null)).toBe(false);
  });
});
