/**
 * The playground's inline bootstrap script (it runs with the page's nonce). It is constant: the
 * per-page values travel in a JSON data block, so it never interpolates user-controlled text.
 *
 * - It hands its nonce to the style singleton GraphiQL's dialogs use (`__webpack_nonce__`).
 * - The schema follows the bearer token in the headers editor: none, no introspection (it could
 *   only answer 401); a different one, a fresh fetcher, which makes GraphiQL introspect again with
 *   the editor's new headers, so autocompletion and docs show what that caller may read.
 * - In local mode the role buttons fetch a short-lived dev token and put it in the headers editor,
 *   which in turn switches the schema.
 */
export const PLAYGROUND_BOOTSTRAP_SCRIPT = `
(function () {
  'use strict';
  window.__webpack_nonce__ = document.currentScript.nonce;
  var config = JSON.parse(document.getElementById('lakegate-playground-config').textContent);
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var state = { token: bearerTokenOf(config.headers), fetcher: newFetcher(), headers: undefined };
  function newFetcher() {
    return GraphiQL.createFetcher({ url: config.endpoint });
  }
  function bearerTokenOf(text) {
    try {
      var headers = JSON.parse(text);
      if (!headers || typeof headers !== 'object') return null;
      var name = Object.keys(headers).find(function (key) { return key.toLowerCase() === 'authorization'; });
      var match = name && typeof headers[name] === 'string' ? /^Bearer\\s+([^\\s<>]+)$/.exec(headers[name].trim()) : null;
      return match ? match[1] : null;
    } catch (error) {
      return null;
    }
  }
  function onEditHeaders(text) {
    var token = bearerTokenOf(text);
    if (token === state.token) return;
    state.token = token;
    state.fetcher = newFetcher();
    render();
  }
  function render() {
    root.render(React.createElement(GraphiQL, {
      fetcher: state.fetcher,
      defaultQuery: config.defaultQuery,
      defaultHeaders: config.headers,
      headers: state.headers,
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      schema: state.token ? undefined : null,
      onEditHeaders: onEditHeaders
    }));
  }
  function showRole(role, message) {
    document.querySelectorAll('[data-dev-role]').forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-dev-role') === role));
    });
    document.getElementById('lakegate-role-status').textContent = message;
  }
  function exploreAs(role) {
    showRole(null, 'Signing in as ' + role + '…');
    fetch(config.signIn.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: role }),
      cache: 'no-store'
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then(function (answer) {
      state.headers = JSON.stringify({ Authorization: 'Bearer ' + answer.token }, null, 2);
      render();
      showRole(role, 'Exploring as ' + role + ' (token valid for ' + Math.round(answer.expiresIn / 60) + ' minutes; click again for a new one).');
    }, function (error) {
      showRole(null, 'Could not sign in as ' + role + ': ' + error.message);
    });
  }
  document.querySelectorAll('[data-dev-role]').forEach(function (button) {
    button.addEventListener('click', function () { exploreAs(button.getAttribute('data-dev-role')); });
  });
  render();
})();
`;
