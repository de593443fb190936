import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const manual = ['README.md', ...readdirSync(join(root, 'docs')).map((name) => `docs/${name}`)].filter((path) =>
  path.endsWith('.md'),
);

/** Files whose comments may cite the manual (`docs/vendors.md#polygon`). */
function sourceFiles(): string[] {
  const files: string[] = ['Dockerfile', '.dependency-cruiser.cjs'].filter((path) => existsSync(join(root, path)));
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = `${dir}/${name}`;
      if (name === 'node_modules' || name === 'fixtures') continue;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (/\.(ts|js|cjs|ya?ml)$/.test(name)) files.push(path);
    }
  };
  for (const dir of ['src', 'providers', 'sandbox', 'scripts', 'test', 'config']) walk(dir);
  return files;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsIn(path: string): Set<string> {
  let anchors = anchorCache.get(path);
  if (!anchors) {
    anchors = anchorsOf(readFileSync(join(root, path), 'utf8'));
    anchorCache.set(path, anchors);
  }
  return anchors;
}

/** Why `target` (a repository path, maybe with #anchor) does not resolve, or null when it does. */
function brokenTarget(target: string): string | null {
  const [path = '', anchor] = target.split('#');
  if (!existsSync(join(root, path))) return `no file ${path}`;
  if (anchor === undefined || !path.endsWith('.md')) return null;
  return anchorsIn(path).has(anchor) ? null : `no heading for #${anchor} in ${path}`;
}

describe('the manual (README.md and docs/)', () => {
  it.each(manual)('%s: every relative link and anchor resolves', (file) => {
    const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const resolved = target!.startsWith('#')
        ? `${file}${target}`
        : relative(root, resolve(dirname(join(root, file)), target!));
      const problem = brokenTarget(resolved);
      if (problem) broken.push(`${target}: ${problem}`);
    }
    expect(broken).toEqual([]);
  });

  it.each(manual)('%s: stands on its own (no reference to files outside the repository)', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(text).not.toMatch(/\.\.\/shared\/|\b(?:LIBRARIES|VENDORS|DESIGN|STYLE)\.md\b/);
  });
});

describe('citations of the manual in code comments', () => {
  it('name a docs/ file and heading that exist', () => {
    const broken: string[] = [];
    for (const file of sourceFiles()) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [citation] of text.matchAll(/\bdocs\/[a-z-]+\.md(?:#[a-z0-9-]+)?/g)) {
        const problem = brokenTarget(citation);
        if (problem) broken.push(`${file}: ${citation}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
