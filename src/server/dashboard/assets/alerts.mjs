import { element } from './dom.mjs';

const MAX_ALERTS = 20;
const QUERY = 'subscription { kpiAlerts { kpi threshold crossed value time dimensions message } }';

/** Threshold crossings of the caller's KPIs as they arrive, newest first. */
export function startAlerts(live, list, empty) {
  live.subscribe(QUERY, 'kpiAlerts', {
    next: (alert) => {
      empty.hidden = true;
      list.prepend(alertItem(alert));
      while (list.children.length > MAX_ALERTS) list.lastElementChild.remove();
    },
    error: (message) => {
      empty.hidden = false;
      empty.textContent = `Alerts unavailable: ${message}`;
    },
  });
}

function alertItem(alert) {
  const at = alert.time ? new Date(Date.parse(alert.time)).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '';
  return element('li', { class: 'alert', 'data-alert-kpi': alert.kpi, 'data-crossed': alert.crossed },
    element('strong', {}, alert.kpi), ` ${alert.crossed}: `, alert.message,
    at ? element('span', { class: 'muted' }, ` (${at})`) : null);
}
