import { loadKpis, Unauthorized } from './api.mjs';
import { startAlerts } from './alerts.mjs';
import { startKpiView } from './kpi-view.mjs';
import { openLive } from './live.mjs';
import { bindTokenForm, devTokenSource, forgetPastedToken, pastedTokenSource } from './session.mjs';

const config = JSON.parse(document.getElementById('dashboard-config').textContent);
const status = document.getElementById('status');

function say(text) {
  status.textContent = text;
}

/** Local mode signs in as the role in the address; otherwise the pasted token, if any. */
function tokenSource() {
  if (config.signIn) return config.signIn.role ? devTokenSource(config.signIn.tokenUrl, config.signIn.role) : null;
  bindTokenForm(document.getElementById('token-form'), document.getElementById('token-forget'));
  return pastedTokenSource();
}

async function start(tokens) {
  say(`Signed in as ${tokens.label}; loading KPIs…`);
  const kpis = await loadKpis(config.endpoint, await tokens.token());
  if (kpis.length === 0) return say(`Signed in as ${tokens.label}: no KPI you may read.`);
  const live = openLive(config.endpoint, tokens, (reason) => {
    if (!tokens.renewable) forgetPastedToken();
    say(`Signed out (${reason || 'token refused'}): ${tokens.renewable ? 'reload the page' : 'paste a new token'} to go on.`);
  });
  const tiles = document.getElementById('tiles');
  for (const kpi of kpis) startKpiView(kpi, live, tiles);
  startAlerts(live, document.getElementById('alerts'), document.getElementById('alerts-empty'));
  say(`Signed in as ${tokens.label}: ${kpis.length} KPI${kpis.length === 1 ? '' : 's'}, live.`);
}

const tokens = tokenSource();
if (!tokens) {
  say(config.signIn ? 'Pick a sample role above to sign in.' : 'Paste a bearer token above to see your KPIs.');
} else {
  start(tokens).catch((error) => {
    if (error instanceof Unauthorized && !tokens.renewable) forgetPastedToken();
    say(`Could not load the dashboard: ${error.message}`);
  });
}
