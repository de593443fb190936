import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cacheHeapShortfall } from '../../../src/cache/memory-budget.js';
import { sandboxConfig } from '../../helpers/build-app.js';

/** The node flags `npm start` runs the gateway with. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  return scripts.start.split(' ').filter((word) => word.startsWith('--'));
}

describe('heap flags of the production process', () => {
  it('are the same in `npm start` and in the Dockerfile (heap sizes in NODE_OPTIONS, the rest in CMD)', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const nodeOptions = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1]?.split(' ') ?? [];
    const command = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    const commandFlags = command.filter((word) => word.startsWith('--'));
    expect([...nodeOptions, ...commandFlags]).toEqual(startFlags());
    expect(nodeOptions).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
  });

  it('put in NODE_OPTIONS only what node accepts there', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const nodeOptions = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1] ?? '';
    const run = (options: string) =>
      spawnSync(process.execPath, ['-e', ''], { env: { ...process.env, NODE_OPTIONS: options }, encoding: 'utf8' });
    expect(run(nodeOptions).stderr).toBe('');
    // The collector flags of npm start are refused there, which is why the image passes them on its command line.
    expect(run('--heap-growing-percent=60').stderr).toMatch(/not allowed in NODE_OPTIONS/);
  });

  it('give node a heap the shipped cache bound fits in', () => {
    const limit = Number(
      execFileSync(
        process.execPath,
        [...startFlags(), '-p', 'require("node:v8").getHeapStatistics().heap_size_limit'],
        {
          encoding: 'utf8',
        },
      ),
    );
    const { maxBytes } = sandboxConfig({}).cache;
    expect(cacheHeapShortfall(maxBytes, limit)).toBeUndefined();
    // Not a bound so loose that any heap would do: four times the shipped cache would not fit.
    expect(cacheHeapShortfall(4 * maxBytes, limit)).toBeDefined();
  });
});
