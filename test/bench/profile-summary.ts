import { readFileSync } from 'node:fs';

/**
 * Where a gateway CPU profile's time went, per request: `npx tsx test/bench/profile-summary.ts <file.cpuprofile>
 * <requests>`, on a profile `npm run bench` wrote (BENCH_PROFILE), `requests` being how many the gateway served while
 * profiled (see docs/performance.md#what-profiling-the-miss-changed). Each sample goes to the group of the code it was
 * in (self time), so the groups add up to the whole. V8 samples the main thread by the wall clock: a frame in a
 * socket write also holds the time the process waited for a core, so on a busy machine that group reads high against
 * the CPU time /proc reports. Startup (module loading) and idle time are left out.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Groups in the order they are printed; the first whose test matches a frame's URL takes its samples. */
const groups: [string, (url: string) => boolean][] = [
  ['startup (module loading)', (url) => /^node:(internal\/(modules|bootstrap)|vm)/.test(url)],
  ['bottleneck', (url) => url.includes('/node_modules/bottleneck/')],
  ['opossum', (url) => url.includes('/node_modules/opossum/')],
  ['zod', (url) => url.includes('/node_modules/zod/')],
  ['fastify (routing, hooks, reply)', (url) => /\/node_modules\/(fastify|find-my-way|@fastify|avvio)/.test(url)],
  ['pino (log lines)', (url) => /\/node_modules\/(pino|sonic-boom)/.test(url)],
  ['prom-client', (url) => url.includes('/node_modules/prom-client/')],
  ['lru-cache', (url) => url.includes('/node_modules/lru-cache/')],
  ['gateway code (src, providers)', (url) => /\/dist\/(src|providers)\//.test(url)],
  ['abort signals, timers', (url) => /^node:(internal\/(abort_controller|event_target|timers)|timers)/.test(url)],
  [
    'Node HTTP and sockets (both sides, syscalls included)',
    (url) => /^node:(_http_|http|net|events|internal\/(streams|stream_base_commons|http|net|url|buffer))/.test(url),
  ],
  ['everything else (microtasks, crypto, other modules)', () => true],
];

/** Frames without code of their own: V8's and Node's natives (a syscall, JSON.parse, a file write) count for their caller. */
function countsForCaller(url: string): boolean {
  return url === '' || /^node:(fs|internal\/fs)/.test(url);
}

/** V8's own pseudo-frames, each a group of its own (idle and the root are left out of the sums). */
const pseudoFrames: Record<string, string> = {
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8 and libuv outside JavaScript',
  '(idle)': 'idle',
  '(root)': 'idle',
};

export function summarize(profile: CpuProfile, requests: number): { group: string; microsPerRequest: number }[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const groupOf = new Map<number, string>();
  const group = (id: number): string => {
    const known = groupOf.get(id);
    if (known !== undefined) return known;
    const { url, functionName } = (nodes.get(id) as ProfileNode).callFrame;
    const parent = parentOf.get(id);
    const found =
      url === '' && functionName in pseudoFrames
        ? (pseudoFrames[functionName] as string)
        : countsForCaller(url) && parent !== undefined
          ? group(parent)
          : (groups.find(([, test]) => test(url)) ?? (groups.at(-1) as [string, unknown]))[0];
    groupOf.set(id, found);
    return found;
  };
  const micros = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const name = group(id);
    micros.set(name, (micros.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return [...micros]
    .filter(([name]) => name !== 'idle' && name !== 'startup (module loading)')
    .sort(([, a], [, b]) => b - a)
    .map(([name, total]) => ({ group: name, microsPerRequest: total / requests }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, requests] = process.argv.slice(2);
  if (!file || !requests) throw new Error('usage: profile-summary.ts <file.cpuprofile> <requests served>');
  const rows = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(requests));
  const total = rows.reduce((sum, row) => sum + row.microsPerRequest, 0);
  const lines = ['| where | µs per request | share |', '| --- | ---: | ---: |'];
  for (const { group, microsPerRequest } of rows) {
    lines.push(`| ${group} | ${Math.round(microsPerRequest)} | ${((100 * microsPerRequest) / total).toFixed(0)} % |`);
  }
  lines.push(`| **total on the main thread** | **${Math.round(total)}** | |`);
  process.stdout.write(lines.join('\n') + '\n');
}
