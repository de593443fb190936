import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

interface SparklineProps {
  label: string;
  at: number[];
  values: (number | null)[];
  unit: string;
}

const width = 120;
const height = 32;

/** A bare uPlot line (no axes, legend or cursor); the latest value is in the text beside it for screen readers. */
export function Sparkline({ label, at, values, unit }: SparklineProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    if (!host.current) return;
    chart.current = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        cursor: { show: false },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max ?? 1) * 1.1] } },
        series: [{}, { stroke: '#1f5fbf', width: 1.5, spanGaps: true, points: { show: false } }],
      },
      [[], []],
      host.current,
    );
    return () => chart.current?.destroy();
  }, []);

  useEffect(() => {
    chart.current?.setData([at, values]);
  }, [at, values]);

  const latest = values.at(-1);
  return (
    <div class="sparkline">
      <div ref={host} role="img" aria-label={`${label}, last two minutes`} />
      <span>{latest == null ? '–' : `${latest < 10 ? latest.toFixed(1) : Math.round(latest)} ${unit}`}</span>
    </div>
  );
}
