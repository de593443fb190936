import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('the production build', () => {
  it('compiles src/ and providers/ only: no simulator, generator or test code reaches dist/', () => {
    const listed = execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], {
      cwd: root,
      encoding: 'utf8',
    });
    const ours = listed
      .split('\n')
      .filter((file) => file.startsWith(root.pathname) && !file.includes('/node_modules/'))
      .map((file) => file.slice(root.pathname.length));
    expect(ours.length).toBeGreaterThan(50);
    expect(ours.filter((file) => !/^(src|providers)\//.test(file))).toEqual([]);
  });

  it('copies only the built code, config and the OpenAPI document into the image', () => {
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
    const [build = '', runtime = ''] = dockerfile.split(/^FROM .*$/m).slice(1);
    const copiedIn = (stage: string) =>
      [...stage.matchAll(/^COPY (?:--from=\S+ )?(\S+(?: \S+)*) \S+$/gm)].flatMap((match) =>
        (match[1] ?? '').split(' '),
      );
    // The build stage compiles src/ and providers/ and bundles dashboard/ with its one build script.
    expect(copiedIn(build)).toEqual(expect.arrayContaining(['src', 'providers', 'dashboard']));
    expect(copiedIn(build).filter((path) => /sandbox|scripts|test/.test(path))).toEqual(['scripts/build-dashboard.ts']);
    // The image: what the build produced, the config and the OpenAPI document.
    expect(copiedIn(runtime).filter((path) => /sandbox|scripts|test|dashboard|src|providers/.test(path))).toEqual([]);
    expect(copiedIn(runtime)).toEqual(expect.arrayContaining(['/app/dist', 'config', 'openapi']));
  });
});
