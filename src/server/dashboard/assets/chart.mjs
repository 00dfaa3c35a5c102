/* global uPlot */

const PALETTE = ['#2452a3', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#1098ad', '#e67700', '#5c940d'];
const HEIGHT = 220;
const MIN_WIDTH = 200;
const DAY_SECONDS = 86_400;

/**
 * A uPlot time-series chart filling `container`'s width (it follows the container when the page
 * is resized). Drawing the same lines again only swaps the data; other lines rebuild the chart.
 */
export function createChart(container) {
  let plot = null;
  let shape = '';
  const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
  const width = () => Math.max(MIN_WIDTH, container.clientWidth);
  new ResizeObserver(() => {
    // Only a new width matters; the container's height follows the chart itself.
    if (plot && plot.width !== width()) plot.setSize({ width: width(), height: HEIGHT });
  }).observe(container);
  return {
    draw(series) {
      const data = [series.times, ...series.lines.map((line) => line.values)];
      const nextShape = JSON.stringify(series.lines.map((line) => line.label));
      if (plot && nextShape === shape) return void plot.setData(data);
      plot?.destroy();
      shape = nextShape;
      plot = new uPlot(chartOptions(series, width(), compact), data, container);
    },
  };
}

function chartOptions(series, width, compact) {
  return {
    width,
    height: HEIGHT,
    // Buckets are UTC, as the API defines them; so are the axis labels.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    // A single bucket would give uPlot an empty time range: centre it in a day either side.
    scales: { x: { time: true, range: (_plot, min, max) => (min === max ? [min - DAY_SECONDS, max + DAY_SECONDS] : [min, max]) } },
    legend: { live: false },
    series: [
      {},
      ...series.lines.map((line, i) => ({
        label: line.label,
        stroke: PALETTE[i % PALETTE.length],
        width: line.dashed ? 1.5 : 2,
        ...(line.dashed ? { dash: [6, 4] } : {}),
      })),
    ],
    axes: [
      { stroke: '#5b6577', grid: { stroke: '#eef0f4' } },
      { stroke: '#5b6577', grid: { stroke: '#eef0f4' }, size: 56, values: (_plot, ticks) => ticks.map((tick) => compact.format(tick)) },
    ],
  };
}
