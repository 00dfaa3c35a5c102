import { createChart } from './chart.mjs';
import { element } from './dom.mjs';
import { describeBucket, describeChange, finestGrain, thresholdState, valueFormatter } from './format.mjs';

let tiles = 0;

/**
 * One KPI's tile: name and description, the latest bucket's value with its unit, the change
 * against the previous period, the threshold state, a grain picker, a breakdown picker and the
 * chart. `onControlsChange` is told when either picker changes.
 */
export function createTile(kpi, onControlsChange) {
  const id = `kpi-${++tiles}`;
  const format = valueFormatter(kpi.format);
  const grain = select(`${id}-grain`, 'Grain', kpi.grains.map((value) => [value, value.toLowerCase()]), finestGrain(kpi.grains));
  const breakdown = select(`${id}-breakdown`, 'Breakdown', [['', 'none'], ...Object.keys(kpi.dimensionFields).map((value) => [value, value.toLowerCase()])], '');
  const state = element('span', { class: 'threshold', 'data-state': 'unknown' }, '…');
  const value = element('span', { class: 'value', 'data-role': 'value' }, '…');
  const change = element('p', { class: 'change', 'data-direction': 'none' });
  const bucket = element('p', { class: 'bucket muted' });
  const chartBox = element('div', { class: 'chart', role: 'img', 'aria-label': `${kpi.name} over time` });
  const note = element('p', { class: 'note muted', 'aria-live': 'polite' });
  const root = element('article', { class: 'tile', 'data-kpi': kpi.name, 'aria-labelledby': `${id}-title` },
    element('header', { class: 'tile-head' }, element('h2', { id: `${id}-title` }, kpi.name), state),
    kpi.description ? element('p', { class: 'description muted' }, kpi.description) : null,
    element('p', { class: 'headline' }, value, ' ', element('span', { class: 'unit' }, kpi.unit)),
    change,
    bucket,
    element('div', { class: 'controls' }, grain.label, breakdown.label),
    chartBox,
    note);
  const chart = createChart(chartBox);
  grain.control.addEventListener('change', onControlsChange);
  breakdown.control.addEventListener('change', onControlsChange);
  return {
    root,
    grain: () => grain.control.value,
    breakdown: () => breakdown.control.value || null,
    /** The latest point of the KPI as a whole (with `previous` and `change`). */
    showLatest(point) {
      const threshold = thresholdState(kpi.thresholds, point?.value);
      const changed = describeChange(point?.change);
      value.textContent = format(point?.value);
      state.textContent = threshold.text;
      state.dataset.state = threshold.state;
      root.dataset.threshold = threshold.state;
      change.textContent = changed.text;
      change.dataset.direction = changed.direction;
      bucket.textContent = point ? `Latest: ${describeBucket(point.time, grain.control.value)}` : 'No data in the default range';
    },
    showSeries(series) {
      chartBox.setAttribute('aria-label', `${kpi.name} by ${grain.control.value.toLowerCase()}: ${series.lines.map((line) => line.label).join(', ')}`);
      chart.draw(series);
      note.textContent = series.omitted > 0 ? `${series.omitted} smaller values not drawn.` : '';
    },
    showError(message) {
      note.textContent = `Live updates stopped: ${message}`;
    },
  };
}

function select(id, text, options, selected) {
  const control = element('select', { id, name: id },
    ...options.map(([value, label]) => element('option', { value, selected: value === selected }, label)));
  return { control, label: element('label', { for: id }, `${text} `, control) };
}
