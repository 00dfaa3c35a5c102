import { seriesByDimension, totalSeries } from './series.mjs';
import { createTile } from './tile.mjs';

/** Lines a breakdown draws at most; the rest are counted in a note. */
const MAX_LINES = 8;

/**
 * A KPI's tile kept live: one subscription for the KPI as a whole at the picked grain, compared
 * with the previous period (the tile's figures, and the chart without breakdown), and with a
 * breakdown a second one grouped by that dimension for the chart. Picking again resubscribes.
 */
export function startKpiView(kpi, live, container) {
  let stops = [];
  const tile = createTile(kpi, subscribe);
  container.append(tile.root);
  function subscribe() {
    stops.forEach((stop) => stop());
    const grain = tile.grain();
    const dimension = tile.breakdown();
    const error = (message) => tile.showError(message);
    stops = [live.subscribe(totalQuery(kpi, grain), kpi.name, {
      next: (points) => {
        tile.showLatest(points.at(-1) ?? null);
        if (!dimension) tile.showSeries(totalSeries(points));
      },
      error,
    })];
    if (dimension) {
      const field = kpi.dimensionFields[dimension];
      stops.push(live.subscribe(breakdownQuery(kpi, grain, dimension, field), kpi.name, {
        next: (points) => tile.showSeries(seriesByDimension(points, field, MAX_LINES)),
        error,
      }));
    }
  }
  subscribe();
}

function totalQuery(kpi, grain) {
  return `subscription { ${name(kpi.name)}(grain: ${name(grain)}, compareTo: PREVIOUS_PERIOD) { time value previous change } }`;
}

function breakdownQuery(kpi, grain, dimension, field) {
  return `subscription { ${name(kpi.name)}(grain: ${name(grain)}, groupBy: [${name(dimension)}]) { time ${name(field)} value } }`;
}

/** Names come from the schema, but a query is text: anything that is not a GraphQL name is refused. */
function name(text) {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(text)) throw new Error(`not a GraphQL name: ${text}`);
  return text;
}
