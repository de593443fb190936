/**
 * Same-origin calls to the gateway's operator endpoints. The operator key, when one is needed, lives in
 * sessionStorage: it is gone when the tab closes and never leaves this origin.
 */
const keyItem = 'market-data-gateway.operator-key';

export const operatorKey = {
  get: (): string | null => sessionStorage.getItem(keyItem),
  set: (key: string) => sessionStorage.setItem(keyItem, key),
  clear: () => sessionStorage.removeItem(keyItem),
};

/** An answer that was not 2xx, read from its RFC 9457 problem body when it has one. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    /** The operator key the request carried (null: none), to tell a stale answer from one about the current key. */
    readonly sentKey: string | null = null,
  ) {
    super(`${status} ${title}: ${detail}`);
  }

  /**
   * 401 or 403 about the key in use now: the page needs an operator key (or a better one). A refusal of a request sent
   * with an earlier key (one still in flight when a new key was entered) says nothing about the new key.
   */
  get needsKey(): boolean {
    return (this.status === 401 || this.status === 403) && this.sentKey === operatorKey.get();
  }
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const key = operatorKey.get();
  return key ? { ...extra, 'x-api-key': key } : extra;
}

export async function problemOf(response: Response, sentKey: string | null = null): Promise<ProblemError> {
  const body = (await response.json().catch(() => ({}))) as { title?: string; detail?: string };
  return new ProblemError(response.status, body.title ?? response.statusText, body.detail ?? '', sentKey);
}

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const sentKey = operatorKey.get();
  const response = await fetch(path, { ...init, headers: authHeaders(init.headers as Record<string, string>) });
  if (!response.ok) throw await problemOf(response, sentKey);
  return response;
}

export const getJson = async <T>(path: string): Promise<T> => (await send(path)).json() as Promise<T>;

export const getText = async (path: string): Promise<string> => (await send(path)).text();

export const postJson = async <T>(path: string, body: unknown): Promise<T> =>
  (
    await send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json() as Promise<T>;
