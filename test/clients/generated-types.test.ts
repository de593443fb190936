import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientTypesFile, renderClientTypes } from '../../scripts/client-types.js';

const versionOf = (path: string) =>
  (JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as { version: string }).version;

describe('clients/typescript/src/generated/openapi.ts', () => {
  it('matches what openapi-typescript makes of openapi/openapi.json (run `npm run client:generate`)', async () => {
    expect(readFileSync(clientTypesFile, 'utf8')).toBe(await renderClientTypes());
  });
});

describe('the client packages', () => {
  it("carry the gateway's version, and the hooks depend on the client of that version", () => {
    const gateway = versionOf('package.json');
    expect(versionOf('clients/typescript/package.json')).toBe(gateway);
    expect(versionOf('clients/react/package.json')).toBe(gateway);
    const react = JSON.parse(readFileSync(new URL('../../clients/react/package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(react.dependencies['@market-data-gateway/client']).toBe(gateway);
  });
});
