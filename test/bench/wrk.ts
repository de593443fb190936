import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * wrk (https://github.com/wg/wrk, Debian package `wrk`) as the load generator of `npm run bench`'s timed scenarios.
 * autocannon is one Node process and needs about a core for 40 000 requests a second; on a 2-core machine it is the
 * ceiling of every fast server, nginx included (docs/performance.md#cache-hits-through-nginx). wrk, in C on one
 * thread, sends the same load for a fraction of that, so the servers, not the generator, set the ratios.
 */
export const wrkAvailable = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk prints its version and exits 1; only a missing binary is absent.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
})();

/** 1 000 latency quantiles, the run's request count and its errors, as one JSON line when the run is done. */
const reportScript = `
done = function(summary, latency, requests)
  local quantiles = {}
  for index = 1, 1000 do quantiles[index] = latency:percentile((index - 0.5) / 10) end
  local errors = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"failed":%d,"quantilesUs":[%s]}\\n', summary.requests,
    summary.duration, errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    table.concat(quantiles, ',')))
end
`;

let reportScriptPath: string | undefined;

export interface WrkOptions {
  url: string;
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
}

export interface WrkResult {
  requests: number;
  /** Connect, read and write errors, timeouts, and answers with a status of 400 or more. */
  failed: number;
  seconds: number;
  /**
   * One latency in milliseconds per request, rebuilt from wrk's 1 000 quantiles (wrk reports no single responses), so
   * that runs pool into one distribution weighted by their request counts.
   */
  latencies: number[];
}

export async function runWrk({ url, connections, durationS, headers = {} }: WrkOptions): Promise<WrkResult> {
  // wrk loads its script once per thread and once more for itself, so it needs a file, not a pipe.
  if (!reportScriptPath) {
    const dir = mkdtempSync(join(tmpdir(), 'mdg-bench-wrk-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    reportScriptPath = join(dir, 'report.lua');
    writeFileSync(reportScriptPath, reportScript);
  }
  const args = ['-t1', `-c${connections}`, `-d${durationS}s`, '--timeout', '10s', '-s', reportScriptPath];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  args.push(url);
  const { stdout } = await promisify(execFile)('wrk', args, { encoding: 'utf8' });
  const line = stdout.split('\n').find((text) => text.startsWith('{"requests"'));
  if (!line) throw new Error(`wrk printed no report: ${stdout}`);
  const report = JSON.parse(line) as { requests: number; durationUs: number; failed: number; quantilesUs: number[] };
  const { quantilesUs } = report;
  return {
    requests: report.requests,
    failed: report.failed,
    seconds: report.durationUs / 1e6,
    latencies: Array.from(
      { length: report.requests },
      (_, index) => (quantilesUs[Math.floor((index * quantilesUs.length) / report.requests)] as number) / 1000,
    ),
  };
}
