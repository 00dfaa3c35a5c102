/**
 * Where the page's bearer token comes from. A token source has `label` (who the page is signed in
 * as), `token()` (a promise of a usable token), `onRenewed(listener)` and `renewable`.
 */

const STORAGE_KEY = 'lakegate.dashboard.token';
/** A dev token is renewed this long before it expires; the server closes sockets at expiry. */
const RENEW_BEFORE_MS = 60_000;
const RETRY_MS = 10_000;

/**
 * Local mode: short-lived dev tokens for one role, from the server's local-only endpoint. Renewal
 * is timed by the token's lifetime on this page's clock, so a clock that is off does not matter.
 */
export function devTokenSource(tokenUrl, role) {
  let current = null;
  let expiresAtMs = 0;
  let pending = null;
  let timer;
  const listeners = [];
  // Callers asking at the same moment share one request.
  function renew() {
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }
  async function fetchToken() {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role }),
      cache: 'no-store',
    });
    if (!response.ok) throw new Error(`signing in as ${role} failed (HTTP ${response.status})`);
    current = await response.json();
    expiresAtMs = Date.now() + current.expiresIn * 1000;
    schedule(current.expiresIn * 1000 - RENEW_BEFORE_MS);
    return current.token;
  }
  function schedule(delayMs) {
    clearTimeout(timer);
    timer = setTimeout(() => renew().then(
      () => listeners.forEach((listener) => listener()),
      () => schedule(RETRY_MS),
    ), Math.max(RETRY_MS / 2, delayMs));
  }
  return {
    label: `${role} (local mode)`,
    renewable: true,
    token: () => (current && expiresAtMs - Date.now() > RENEW_BEFORE_MS / 2 ? Promise.resolve(current.token) : renew()),
    onRenewed: (listener) => void listeners.push(listener),
  };
}

/** The token pasted in this tab (sessionStorage: gone with the tab), or null. It is never renewed. */
export function pastedTokenSource() {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return null;
  return {
    label: 'your token',
    renewable: false,
    token: () => Promise.resolve(token),
    onRenewed: () => undefined,
  };
}

export function forgetPastedToken() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The paste form: a token is kept for this tab and the page starts over with it. */
export function bindTokenForm(form, forgetButton) {
  const input = form.querySelector('input');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim().replace(/^Bearer\s+/i, '');
    if (!token) return;
    sessionStorage.setItem(STORAGE_KEY, token);
    window.location.reload();
  });
  forgetButton.addEventListener('click', () => {
    forgetPastedToken();
    window.location.reload();
  });
}
