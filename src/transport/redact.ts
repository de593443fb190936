/**
 * Every name a vendor key travels under, in a query string or a header. Adapters declare theirs through `auth`; this
 * list also covers the ones an operator might paste into a base URL by mistake.
 */
const secretParameterNames = [
  'apikey',
  'api_key',
  'api-key',
  'apitoken',
  'api_token',
  'token',
  'access_key',
  'access_token',
  'key',
  'x_cg_demo_api_key',
  'x_cg_pro_api_key',
];
const secretQueryPattern = new RegExp(`([?&](?:${secretParameterNames.join('|')})=)[^&#\\s"']*`, 'gi');

/** Replaces the value of every secret query parameter in a URL or a message. */
export function redactUrl(text: string): string {
  return text.replace(secretQueryPattern, '$1[REDACTED]');
}

/** Header names (lower case) whose values are secrets. */
export const secretHeaderNames = [
  'authorization',
  'x-api-key',
  'x-finnhub-token',
  'x-cg-demo-api-key',
  'x-cg-pro-api-key',
  'x-coinapi-key',
  // A browser WebSocket's client key travels as a subprotocol (src/http/plugins/auth.ts).
  'sec-websocket-protocol',
];
