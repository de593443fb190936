import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/**
 * `npm run build:dashboard`: bundles dashboard/ (Preact + uPlot) into dist/dashboard with esbuild, minified, and
 * writes a gzip and a brotli copy of every file for @fastify/static's preCompressed mode. Prints the sizes; the
 * target is under 100 KB gzipped in all (docs/operations.md#dashboard).
 */
export const dashboardSource = 'dashboard';
export const dashboardOutput = join('dist', 'dashboard');

export async function buildDashboard(
  output = dashboardOutput,
): Promise<{ file: string; bytes: number; gzip: number }[]> {
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  await build({
    entryPoints: { app: join(dashboardSource, 'src', 'main.tsx') },
    outdir: output,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(dashboardSource, 'index.html'), join(output, 'index.html'));
  return readdirSync(output).map((file) => {
    const content = readFileSync(join(output, file));
    const gzip = gzipSync(content, { level: 9 });
    writeFileSync(join(output, `${file}.gz`), gzip);
    writeFileSync(join(output, `${file}.br`), brotliCompressSync(content));
    return { file, bytes: content.length, gzip: gzip.length };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = await buildDashboard();
  const total = files.reduce((sum, file) => sum + file.gzip, 0);
  for (const file of files) console.log(`${file.file.padEnd(12)} ${file.bytes} B, ${file.gzip} B gzip`);
  console.log(`dashboard: ${(total / 1024).toFixed(1)} KiB gzipped in all → ${dashboardOutput}`);
}
