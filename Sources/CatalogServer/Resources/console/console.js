// catalog-server console: plain DOM, no dependencies, no inline code (the page is served with
// `default-src 'self'`). Every string that comes from the server or a plugin is hostile: it is
// only ever placed with textContent or as an attribute value, never parsed as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'catalog-server.console.token';
  const PAGE_SIZES = [5, 10, 25, 50, 100];
  const DEFAULT_PAGE_SIZE = 25;

  const state = {
    plugins: null, // the last GET /api/plugins answer
    pluginsError: null,
    readiness: null,
    docs: new Map(), // plugin name -> capabilities V2 document (or null)
    pageLinks: new Map(), // list key -> Map(page token -> {prev, page}) learnt from the pages shown
    lastList: new Map(), // plugin/plural -> hash of the list view last shown
    renderSeq: 0,
    flash: null, // the last action's answer, shown again once the view has re-read the entity
  };

  // ---------------------------------------------------------------- DOM helpers

  /** createElement with attributes (`class`, `testid`, `text`, `on*` listeners, others verbatim). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'testid') el.dataset.testid = value;
      else if (key === 'text') el.textContent = String(value);
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    add(el, children);
    return el;
  }

  function add(el, children) {
    for (const child of [children].flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  const badge = (text, tone, testid) => h('span', { class: `badge badge-${tone || 'neutral'}`, testid, text });
  const chip = (text, extra) => h('span', { class: `chip${extra ? ' ' + extra : ''}`, text });
  const muted = (text) => h('span', { class: 'muted', text });

  function section(title, testid, ...children) {
    return h('section', { class: 'card', testid }, h('h2', { text: title }), ...children);
  }

  function table(headers, rows, testid, extraClass) {
    return h('div', { class: 'table-wrap' },
      h('table', { class: `table${extraClass ? ' ' + extraClass : ''}`, testid },
        h('thead', {}, h('tr', {}, headers.map((x) => (x instanceof Node ? x : h('th', { scope: 'col', text: x }))))),
        h('tbody', {}, rows)));
  }

  /** A key/value grid. */
  function definitionList(pairs, testid) {
    return h('dl', { class: 'kv', testid },
      pairs.filter(Boolean).map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
  }

  // ---------------------------------------------------------------- values

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  /** Reads a dotted path; a list on the way reads the rest of the path in each element. */
  function valueAt(entity, path) {
    if (!path) return undefined;
    let values = [entity];
    let multi = false;
    for (const part of String(path).split('.')) {
      const next = [];
      for (const v of values) {
        if (Array.isArray(v)) {
          multi = true;
          for (const item of v) if (isObject(item) && part in item) next.push(item[part]);
        } else if (isObject(v) && Object.prototype.hasOwnProperty.call(v, part)) {
          next.push(v[part]);
        }
      }
      values = next;
      if (values.length === 0) return undefined;
    }
    return multi ? values.flat() : values[0];
  }

  function formatTimestamp(value) {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return String(value);
    const ms = n < 1e11 ? n * 1000 : n; // seconds or milliseconds since the epoch
    const date = new Date(ms);
    if (Number.isNaN(date.getTime())) return String(value);
    return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/:00 UTC$/, ' UTC');
  }

  /** Renders one value for a table cell or a detail field, by declared type. */
  function renderValue(value, type, { compact = false } = {}) {
    if (value === undefined || value === null || value === '') return muted('—');
    if (type === 'timestamp') {
      return h('time', { title: String(value), text: formatTimestamp(value) });
    }
    if (typeof value === 'boolean' || type === 'boolean') {
      const yes = value === true || value === 'true';
      return badge(yes ? 'yes' : 'no', yes ? 'ok' : 'neutral');
    }
    if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
      if (value.length === 0) return muted('—');
      return h('span', { class: 'chips' }, value.map((v) => chip(String(v))));
    }
    if (typeof value === 'object') {
      const props = propertyMap(value);
      if (compact) {
        const text = props ? Object.entries(props).map(([k, v]) => `${k}: ${v}`).join(', ') : JSON.stringify(value);
        return h('code', { class: 'inline-json', title: JSON.stringify(value, null, 2), text: text.length > 90 ? `${text.slice(0, 88)}…` : text });
      }
      return renderStructured(props || value);
    }
    const text = String(value);
    if (!compact && (text.length > 160 || text.includes('\n'))) return h('pre', { class: 'prose', text });
    return h('span', { class: type === 'integer' || type === 'number' ? 'num' : null, text });
  }

  const isScalar = (v) => v === null || typeof v !== 'object';

  /** Model-registry custom properties ({name: {metadataType, string_value|int_value|…}}) as {name: value}. */
  function propertyMap(value) {
    if (!isObject(value)) return null;
    const entries = Object.entries(value);
    if (!entries.length || !entries.every(([, v]) => isObject(v) && typeof v.metadataType === 'string')) return null;
    const out = {};
    for (const [k, v] of entries) {
      const key = Object.keys(v).find((x) => /_value$/.test(x));
      out[k] = key === undefined ? JSON.stringify(v) : (isScalar(v[key]) ? String(v[key]) : JSON.stringify(v[key]));
    }
    return out;
  }

  /** Nested values: a mapping of scalars as a key/value grid, a list of flat mappings as a table, else JSON. */
  function renderStructured(value) {
    if (isObject(value) && Object.values(value).every(isScalar)) {
      return h('dl', { class: 'kv kv-nested' }, Object.entries(value).map(([k, v]) => [h('dt', { text: k }), h('dd', {}, renderValue(v))]));
    }
    if (Array.isArray(value) && value.length && value.every((v) => isObject(v) && Object.values(v).every(isScalar))) {
      const keys = [];
      for (const item of value) for (const k of Object.keys(item)) if (!keys.includes(k)) keys.push(k);
      return table(keys, value.map((item) => h('tr', {}, keys.map((k) => h('td', {}, renderValue(item[k], undefined, { compact: true }))))), null, 'table-nested');
    }
    return h('pre', { class: 'json', text: JSON.stringify(value, null, 2) });
  }

  // ---------------------------------------------------------------- HTTP

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
  }

  /** A server-relative path (never another origin): endpoints come from plugin documents. */
  function isServerPath(path) {
    if (typeof path !== 'string' || !path.startsWith('/')) return false;
    try { return new URL(path, location.origin).origin === location.origin; } catch { return false; }
  }

  function expand(template, name) {
    return template.split('{name}').join(encodeURIComponent(name));
  }

  function errorMessage(status, statusText, data, text) {
    if (isObject(data)) {
      for (const key of ['error', 'message', 'reason', 'detail']) {
        if (typeof data[key] === 'string' && data[key]) return data[key];
        if (isObject(data[key]) && typeof data[key].message === 'string') return data[key].message;
      }
    }
    if (text && text.trim()) return text.trim().slice(0, 4000);
    return `${status} ${statusText || ''}`.trim();
  }

  /** fetch + JSON. Answers {ok, status, data, error}; never throws. */
  async function api(path, { method = 'GET', body } = {}) {
    if (!isServerPath(path)) {
      return { ok: false, status: 0, data: null, error: `refusing to call ${JSON.stringify(path)}: not a path on this server` };
    }
    const headers = { Accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method, headers, cache: 'no-store', credentials: 'same-origin', redirect: 'error',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      return { ok: false, status: 0, data: null, error: `network error: ${error.message}` };
    }
    const text = await response.text().catch(() => '');
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    const result = { ok: response.ok, status: response.status, data, text, headers: response.headers };
    if (!response.ok) result.error = errorMessage(response.status, response.statusText, data, text);
    return result;
  }

  /** An error box: the server's own text, the status, and what 401/403 mean here. */
  function errorBox(result, what, testid) {
    const hint = result.status === 401
      ? 'Authentication required: enter an admin bearer token in the header and try again.'
      : result.status === 403
        ? 'Forbidden: the token (or its absence) does not allow this; management writes need a token with the admin role.'
        : null;
    return h('div', { class: 'alert alert-error', role: 'alert', testid: testid || 'error' },
      h('div', { class: 'alert-title' },
        what ? `${what} failed` : 'Request failed',
        result.status ? badge(`HTTP ${result.status}`, 'error', 'error-status') : null),
      h('div', { class: 'error-text', testid: `${testid || 'error'}-text`, text: result.error || 'unknown error' }),
      hint ? h('div', { class: 'alert-hint', testid: 'auth-hint', text: hint }) : null);
  }

  // ---------------------------------------------------------------- data

  async function loadPlugins() {
    const [plugins, readiness] = await Promise.all([api('/api/plugins'), api('/readyz')]);
    state.pluginsError = plugins.ok ? null : plugins;
    if (plugins.ok && isObject(plugins.data)) {
      state.plugins = plugins.data;
      state.docs.clear();
      for (const plugin of pluginList()) {
        if (isObject(plugin.capabilitiesV2)) state.docs.set(plugin.name, plugin.capabilitiesV2);
      }
    }
    // /readyz answers 503 with a body while not ready: that body is the answer, not an error.
    state.readiness = isObject(readiness.data) ? readiness.data : { status: 'unknown', error: readiness.error };
    renderHeader();
    renderNav();
  }

  function pluginList() {
    const list = state.plugins && Array.isArray(state.plugins.plugins) ? state.plugins.plugins : [];
    return list.filter((p) => isObject(p) && typeof p.name === 'string');
  }

  const findPlugin = (name) => pluginList().find((p) => p.name === name);
  const hasV2 = (plugin) => Array.isArray(plugin.capabilities) && plugin.capabilities.includes('capabilities.v2');

  /** The plugin's capabilities V2 document: from /api/plugins, else its own endpoint. */
  async function capabilities(name) {
    if (state.docs.has(name)) return { ok: true, data: state.docs.get(name) };
    const plugin = findPlugin(name);
    if (plugin && !hasV2(plugin)) return { ok: true, data: null };
    const result = await api(`/api/plugins/${encodeURIComponent(name)}/capabilities`);
    if (result.ok && isObject(result.data)) state.docs.set(name, result.data);
    return result;
  }

  function entitiesOf(doc) {
    return doc && Array.isArray(doc.entities) ? doc.entities.filter((e) => isObject(e) && typeof e.plural === 'string') : [];
  }

  function columnsOf(entity) {
    const cols = entity.fields && Array.isArray(entity.fields.columns) ? entity.fields.columns.filter(isObject) : [];
    return cols.length ? cols : [{ name: nameField(entity), displayName: 'Name', path: nameField(entity), type: 'string', sortable: true }];
  }

  const nameField = (entity) => (entity.uiHints && typeof entity.uiHints.nameField === 'string' ? entity.uiHints.nameField : 'name');
  const pluginTitle = (plugin, doc) => (doc && doc.plugin && doc.plugin.displayName) || plugin.name;

  /** The asset action definitions of the document that apply to this entity. */
  function entityActions(doc, entity) {
    const defs = Array.isArray(doc.actions) ? doc.actions.filter((a) => isObject(a) && typeof a.id === 'string') : [];
    const ids = Array.isArray(entity.actions) ? entity.actions.filter((a) => typeof a === 'string') : [];
    const assetDefs = defs.filter((a) => (a.scope || 'asset') === 'asset');
    const chosen = ids.length ? ids : assetDefs.map((a) => a.id);
    return chosen.map((id) => assetDefs.find((a) => a.id === id) || defs.find((a) => a.id === id) || { id, displayName: id });
  }

  // ---------------------------------------------------------------- routing

  function parseHash() {
    let raw = location.hash.replace(/^#/, '');
    if (!raw.startsWith('/')) raw = `/${raw}`;
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const segments = path.split('/').filter(Boolean).map((s) => {
      try { return decodeURIComponent(s); } catch { return s; }
    });
    return { segments, params };
  }

  function hashFor(segments, params) {
    const query = params ? new URLSearchParams([...params].filter(([, v]) => v !== '' && v !== null && v !== undefined)).toString() : '';
    return `#/${segments.map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`;
  }

  function navigate(hash) {
    if (location.hash === hash) render();
    else location.hash = hash;
  }

  async function render() {
    const seq = ++state.renderSeq;
    const main = document.getElementById('main');
    const { segments, params } = parseHash();
    const view = h('div', { class: 'view' });
    const renderedHash = location.hash;
    main.dataset.state = 'loading';
    clear(main).append(h('p', { class: 'loading', testid: 'loading', text: 'Loading…' }));
    try {
      if (!state.plugins || segments.length === 0 || segments[0] === 'plugins') await loadPlugins();
      if (seq !== state.renderSeq) return;
      if (segments.length === 0 || (segments[0] === 'plugins' && segments.length === 1)) {
        document.title = 'Overview · catalog-server console';
        await renderOverview(view);
      } else if (segments[0] === 'plugins' && segments.length === 2) {
        await renderPlugin(view, segments[1]);
      } else if (segments[0] === 'catalog' && segments.length === 3) {
        await renderList(view, segments[1], segments[2], params, seq);
      } else if (segments[0] === 'catalog' && segments.length === 5 && segments[3] === 'entity') {
        await renderDetail(view, segments[1], segments[2], segments[4]);
      } else {
        view.append(h('div', { class: 'card', testid: 'not-found' },
          h('h1', { text: 'Nothing here' }),
          h('p', {}, 'No view for this address. ', h('a', { href: '#/plugins', text: 'Go to the overview' }))));
      }
    } catch (error) {
      view.append(h('div', { class: 'alert alert-error', role: 'alert', testid: 'view-error' },
        h('div', { class: 'alert-title', text: 'The console failed to show this view' }),
        h('div', { class: 'error-text', text: String(error && error.message ? error.message : error) })));
    }
    if (seq !== state.renderSeq) return;
    clear(main).append(view);
    main.dataset.hash = renderedHash;
    main.dataset.state = 'ready';
    markActiveNav();
  }

  // ---------------------------------------------------------------- header and navigation

  function readinessTone(status) {
    return { ready: 'ok', ok: 'ok', healthy: 'ok', current: 'ok', complete: 'ok', degraded: 'warn', stale: 'warn', loading: 'warn', in_progress: 'warn', not_configured: 'neutral' }[status] || (status ? 'error' : 'neutral');
  }

  function renderHeader() {
    const el = document.querySelector('[data-testid="header-readiness"]');
    const status = state.readiness && typeof state.readiness.status === 'string' ? state.readiness.status : 'unknown';
    clear(el).append(muted('readiness'), badge(status, readinessTone(status)));
  }

  function renderNav() {
    const nav = clear(document.querySelector('[data-testid="nav"]'));
    nav.append(h('a', { href: '#/plugins', class: 'nav-link', testid: 'nav-overview', 'data-route': '/plugins' }, 'Overview'));
    const catalogs = h('ul', { class: 'nav-list' });
    const others = h('ul', { class: 'nav-list' });
    for (const plugin of pluginList()) {
      const doc = state.docs.get(plugin.name);
      const entities = entitiesOf(doc);
      if (entities.length) {
        for (const entity of entities) {
          const route = `/catalog/${encodeURIComponent(plugin.name)}/${encodeURIComponent(entity.plural)}`;
          const label = entities.length > 1 ? `${pluginTitle(plugin, doc)}: ${entity.displayName || entity.plural}` : pluginTitle(plugin, doc);
          catalogs.append(h('li', {}, h('a', {
            href: `#${route}`, class: 'nav-link', 'data-route': route, testid: `nav-catalog-${plugin.name}-${entity.plural}`,
          }, h('span', { text: label }), healthDot(plugin))));
        }
      } else {
        const route = `/plugins/${encodeURIComponent(plugin.name)}`;
        others.append(h('li', {}, h('a', { href: `#${route}`, class: 'nav-link', 'data-route': route, testid: `nav-plugin-${plugin.name}` },
          h('span', { text: plugin.name }), healthDot(plugin))));
      }
    }
    nav.append(h('h2', { class: 'nav-heading', text: 'Catalogs' }), catalogs);
    if (others.childElementCount) nav.append(h('h2', { class: 'nav-heading', text: 'Other plugins' }), others);
  }

  function healthDot(plugin) {
    const ok = plugin.healthy === true;
    return h('span', { class: `dot ${ok ? 'dot-ok' : 'dot-error'}`, title: ok ? 'healthy' : 'unhealthy', 'aria-label': ok ? 'healthy' : 'unhealthy' });
  }

  function markActiveNav() {
    const { segments } = parseHash();
    const current = segments[0] === 'catalog' ? `/catalog/${segments.slice(1, 3).map(encodeURIComponent).join('/')}`
      : segments[0] === 'plugins' && segments[1] ? `/plugins/${encodeURIComponent(segments[1])}` : '/plugins';
    for (const link of document.querySelectorAll('.nav-link')) {
      if (link.dataset.route === current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  function setupToken() {
    const form = document.querySelector('[data-testid="token-form"]');
    const input = document.getElementById('token-input');
    const stateEl = document.querySelector('[data-testid="token-state"]');
    const show = () => {
      const set = token() !== '';
      stateEl.textContent = set ? 'token set' : 'no token';
      stateEl.className = `token-state ${set ? 'is-set' : ''}`;
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = input.value.trim();
      try {
        if (value) sessionStorage.setItem(TOKEN_KEY, value);
        else sessionStorage.removeItem(TOKEN_KEY);
      } catch { /* storage disabled: nothing kept */ }
      input.value = '';
      show();
      render(); // reads may need the token too (--protect-reads)
    });
    document.querySelector('[data-testid="token-clear"]').addEventListener('click', () => {
      try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* ignore */ }
      input.value = '';
      show();
    });
    show();
  }

  // ---------------------------------------------------------------- overview

  async function renderOverview(view) {
    const data = state.plugins || {};
    const plugins = pluginList();
    const failures = Array.isArray(data.failures) ? data.failures.filter(isObject) : [];
    const loading = Array.isArray(data.loading) ? data.loading : [];
    const pending = Array.isArray(data.pendingRestart) ? data.pendingRestart : [];
    const readiness = state.readiness || {};

    view.append(h('div', { class: 'page-head' },
      h('div', {}, h('h1', { text: 'Overview' }), h('p', { class: 'lede', text: 'Plugins loaded by this server, the files it refused, and its readiness.' })),
      h('button', { type: 'button', class: 'secondary', testid: 'reload', onclick: () => render() }, 'Reload')));

    if (state.pluginsError) view.append(errorBox(state.pluginsError, 'GET /api/plugins', 'plugins-error'));

    const serving = plugins.filter((p) => p.healthy === true).length;
    view.append(h('div', { class: 'stats', testid: 'stats' },
      stat('Plugins healthy', `${serving} / ${plugins.length}`, serving === plugins.length ? 'ok' : 'warn', 'stat-plugins'),
      stat('Load failures', String(failures.length), failures.length ? 'error' : 'ok', 'stat-failures'),
      stat('Loading', String(loading.length), loading.length ? 'warn' : 'ok', 'stat-loading'),
      stat('Pending restart', String(pending.length), pending.length ? 'warn' : 'ok', 'stat-pending'),
      stat('Readiness', String(readiness.status || 'unknown'), readinessTone(readiness.status), 'stat-readiness')));

    // Plugins
    const rows = plugins.map((plugin) => {
      const doc = state.docs.get(plugin.name);
      const status = isObject(plugin.status) ? plugin.status : {};
      const healthy = plugin.healthy === true;
      const entities = entitiesOf(doc);
      return h('tr', { testid: 'plugin-row', 'data-plugin': plugin.name },
        h('td', {},
          h('a', { href: hashFor(['plugins', plugin.name]), class: 'strong', testid: 'plugin-name', text: plugin.name }),
          doc && doc.plugin && doc.plugin.displayName ? h('div', { class: 'muted small', text: doc.plugin.displayName }) : null,
          plugin.lateLoaded ? badge('late-loaded', 'info') : null),
        h('td', {},
          badge(healthy ? 'healthy' : 'unhealthy', healthy ? 'ok' : 'error', 'plugin-health'),
          status.serving === false ? badge('not serving', 'warn') : null,
          status.lastError ? h('div', { class: 'small error-inline', text: status.lastError }) : null),
        h('td', { testid: 'plugin-version', text: plugin.version || '—' }),
        h('td', { testid: 'plugin-abi' }, versionCell(plugin, ['abiVersion', 'abi'])),
        h('td', { testid: 'plugin-sdk' }, versionCell(plugin, ['sdkVersion', 'sdk'])),
        h('td', { text: plugin.isolation || '—' }),
        h('td', {}, h('code', { testid: 'plugin-basepath', text: plugin.basePath || '—' })),
        h('td', {}, capabilityChips(plugin)),
        h('td', {}, entities.length
          ? entities.map((e) => h('a', { class: 'entity-link', href: hashFor(['catalog', plugin.name, e.plural]), testid: 'plugin-entity-link', text: e.displayName || e.plural }))
          : routesSummary(plugin)));
    });
    view.append(section(`Plugins (${plugins.length})`, 'plugins',
      plugins.length ? table(['Plugin', 'Health', 'Version', 'ABI', 'SDK', 'Isolation', 'Base path', 'Capabilities', 'Entities / routes'], rows, 'plugins-table')
        : h('p', { class: 'empty', text: 'No plugin is loaded.' })));

    // Failures
    view.append(section(`Load failures (${failures.length})`, 'failures',
      failures.length
        ? table(['File', 'Stage', 'Plugin', 'Reason'], failures.map((f) => h('tr', { testid: 'failure-row' },
          h('td', {}, h('code', { testid: 'failure-file', text: String(f.file || '—') })),
          h('td', {}, badge(String(f.stage || '—'), 'error', 'failure-stage')),
          h('td', { text: f.plugin ? String(f.plugin) : '—' }),
          h('td', { class: 'reason', testid: 'failure-reason', text: String(f.reason || '—') }))), 'failures-table')
        : h('p', { class: 'empty', testid: 'no-failures', text: 'Every plugin file loaded.' })));

    // Loading and pending restart
    view.append(h('div', { class: 'grid-2' },
      section(`Still loading (${loading.length})`, 'loading-files',
        loading.length ? table(['File', 'Stage', 'Seconds'], loading.map((l) => h('tr', { testid: 'loading-row' },
          h('td', {}, h('code', { text: String(isObject(l) ? l.file : l) })),
          h('td', { text: isObject(l) && l.stage ? String(l.stage) : '—' }),
          h('td', { class: 'num', text: isObject(l) && l.seconds !== undefined ? String(l.seconds) : '—' }))))
          : h('p', { class: 'empty', text: 'Nothing is loading.' })),
      section(`Pending restart (${pending.length})`, 'pending-restart',
        pending.length ? h('ul', { class: 'plain' }, pending.map((p) => h('li', {}, h('code', { text: typeof p === 'string' ? p : JSON.stringify(p) }))))
          : h('p', { class: 'empty', text: 'No plugin file changed since it was loaded.' }))));

    // Readiness
    const components = isObject(readiness.components) ? readiness.components : {};
    const config = isObject(components.configuration) ? components.configuration : null;
    view.append(section('Readiness', 'readiness',
      h('div', { class: 'readiness-head' },
        h('span', {}, 'GET /readyz: '), badge(String(readiness.status || 'unknown'), readinessTone(readiness.status), 'readiness-status'),
        h('span', { class: 'spacer' }),
        h('span', {}, 'configuration: '),
        badge(config ? String(config.status || 'unknown') : 'not reported', readinessTone(config && config.status), 'config-state')),
      config && config.details ? h('p', { class: 'small', testid: 'config-details', text: String(config.details) }) : null,
      readiness.error ? h('p', { class: 'error-inline', text: readiness.error }) : null,
      Object.keys(components).length
        ? table(['Component', 'Status', 'Details'], Object.entries(components).map(([name, c]) => h('tr', { testid: 'readiness-component', 'data-component': name },
          h('td', { class: 'strong', text: name }),
          h('td', {}, badge(String(isObject(c) ? c.status || '—' : c), readinessTone(isObject(c) ? c.status : null))),
          h('td', { class: 'small' }, componentDetails(c)))), 'readiness-table')
        : null));
  }

  function stat(label, value, tone, testid) {
    return h('div', { class: `stat stat-${tone}`, testid }, h('div', { class: 'stat-value', text: value }), h('div', { class: 'stat-label', text: label }));
  }

  function versionCell(plugin, keys) {
    for (const key of keys) {
      const v = plugin[key];
      if (typeof v === 'string' && v) return h('span', { text: v });
      if (isObject(v) && v.major !== undefined) return h('span', { text: `${v.major}.${v.minor ?? 0}` });
    }
    return muted('—');
  }

  function capabilityChips(plugin) {
    const caps = Array.isArray(plugin.capabilities) ? plugin.capabilities : [];
    if (!caps.length) return muted('none');
    return h('span', { class: 'chips' }, caps.map((c) => chip(String(c))));
  }

  /** Routes of a plugin without a capabilities document: what the server lists, or its base path. */
  function routesSummary(plugin) {
    const routes = Array.isArray(plugin.routes) ? plugin.routes : [];
    if (!routes.length) return h('span', { class: 'small' }, muted('routes under '), h('code', { text: plugin.basePath || '—' }));
    return h('ul', { class: 'plain routes', testid: 'plugin-routes' }, routes.map((r) => h('li', {}, routeText(r, plugin.basePath))));
  }

  function routeText(route, basePath) {
    if (typeof route === 'string') return h('code', { text: route });
    if (!isObject(route)) return h('code', { text: JSON.stringify(route) });
    const path = String(route.path || route.pattern || route.route || '');
    const full = basePath && path.startsWith('/') && !path.startsWith(basePath) ? basePath + path : path;
    return h('code', {}, route.method ? h('span', { class: 'method', text: String(route.method) }) : null, ` ${full}`);
  }

  function componentDetails(component) {
    if (!isObject(component)) return null;
    const parts = [];
    if (component.details !== undefined) parts.push(h('div', { text: typeof component.details === 'string' ? component.details : JSON.stringify(component.details) }));
    for (const [key, value] of Object.entries(component)) {
      if (key === 'status' || key === 'details') continue;
      if (Array.isArray(value) && value.length === 0) continue;
      parts.push(h('div', { class: 'muted' }, `${key}: `, Array.isArray(value) ? `${value.length} item(s)` : typeof value === 'object' ? JSON.stringify(value) : String(value)));
    }
    return parts;
  }

  // ---------------------------------------------------------------- plugin page

  async function renderPlugin(view, name) {
    const plugin = findPlugin(name);
    if (!plugin) {
      view.append(h('div', { class: 'alert alert-error', role: 'alert', testid: 'view-error' }, `No plugin named "${name}" is loaded.`));
      return;
    }
    document.title = `${name} · catalog-server console`;
    const docResult = await capabilities(name);
    const doc = docResult.ok ? docResult.data : null;
    const status = isObject(plugin.status) ? plugin.status : {};
    view.append(breadcrumbs([['Overview', '#/plugins'], [name]]),
      h('div', { class: 'page-head' }, h('div', {},
        h('h1', { testid: 'plugin-title' }, pluginTitle(plugin, doc), ' ', badge(plugin.healthy ? 'healthy' : 'unhealthy', plugin.healthy ? 'ok' : 'error')),
        h('p', { class: 'lede', text: (doc && doc.plugin && doc.plugin.description) || plugin.description || '' }))));
    view.append(section('Plugin', 'plugin-summary', definitionList([
      ['Name', plugin.name], ['Version', plugin.version || '—'],
      ['ABI version', versionCell(plugin, ['abiVersion', 'abi'])], ['SDK version', versionCell(plugin, ['sdkVersion', 'sdk'])],
      ['File', h('code', { text: plugin.file || '—' })], ['Isolation', plugin.isolation || '—'],
      ['Base path', h('code', { text: plugin.basePath || '—' })],
      ['Serving', renderValue(status.serving, 'boolean')], ['Initialized', renderValue(status.initialized, 'boolean')],
      status.lastError ? ['Last error', h('span', { class: 'error-inline', text: status.lastError })] : null,
      ['Late loaded', renderValue(plugin.lateLoaded === true, 'boolean')],
      ['Capabilities', capabilityChips(plugin)],
      isObject(plugin.management) ? ['Management', h('span', { class: 'chips' }, Object.entries(plugin.management).map(([k, v]) => chip(k, v ? 'chip-on' : 'chip-off')))] : null,
      ['Routes', routesSummary(plugin)],
    ])));
    if (!docResult.ok) view.append(errorBox(docResult, 'GET capabilities', 'capabilities-error'));
    if (doc) {
      view.append(section('Entities', 'plugin-entities', entitiesOf(doc).length
        ? h('ul', { class: 'plain' }, entitiesOf(doc).map((e) => h('li', {},
          h('a', { href: hashFor(['catalog', name, e.plural]), class: 'strong', text: e.displayName || e.plural }),
          e.description ? ` — ${e.description}` : '')))
        : h('p', { class: 'empty', text: 'The document declares no entities.' })));
      view.append(h('details', { class: 'card raw' }, h('summary', { text: 'Capabilities V2 document' }), h('pre', { class: 'json', testid: 'capabilities-json', text: JSON.stringify(doc, null, 2) })));
    } else if (docResult.ok) {
      view.append(h('p', { class: 'card muted', testid: 'no-capabilities', text: 'This plugin has no capabilities V2 document: the console cannot list its entities. Its routes are served under its base path.' }));
    }
  }

  function breadcrumbs(items) {
    return h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb', testid: 'breadcrumbs' },
      items.map(([label, href], i) => [
        i ? h('span', { class: 'sep', 'aria-hidden': 'true', text: '/' }) : null,
        href ? h('a', { href, text: label }) : h('span', { 'aria-current': 'page', text: label }),
      ]));
  }

  // ---------------------------------------------------------------- catalog list

  async function resolveEntity(pluginName, plural) {
    const plugin = findPlugin(pluginName);
    if (!plugin) return { error: `No plugin named "${pluginName}" is loaded.` };
    const result = await capabilities(pluginName);
    if (!result.ok) return { error: result, plugin };
    const doc = result.data;
    if (!doc) return { error: `Plugin "${pluginName}" has no capabilities V2 document.`, plugin };
    const entity = entitiesOf(doc).find((e) => e.plural === plural);
    if (!entity) return { error: `Plugin "${pluginName}" declares no entity "${plural}".`, plugin, doc };
    return { plugin, doc, entity, endpoints: isObject(entity.endpoints) ? entity.endpoints : {} };
  }

  function resolveError(view, resolved) {
    view.append(typeof resolved.error === 'string'
      ? h('div', { class: 'alert alert-error', role: 'alert', testid: 'view-error', text: resolved.error })
      : errorBox(resolved.error, 'GET capabilities', 'view-error'));
  }

  async function renderList(view, pluginName, plural, params, seq) {
    const resolved = await resolveEntity(pluginName, plural);
    if (resolved.error) return resolveError(view, resolved);
    const { plugin, doc, entity, endpoints } = resolved;
    const columns = columnsOf(entity);
    const title = pluginTitle(plugin, doc);
    document.title = `${title} · catalog-server console`;
    state.lastList.set(`${pluginName}/${plural}`, location.hash);

    const query = {
      filterQuery: params.get('filterQuery') || '',
      orderBy: params.get('orderBy') || '',
      sortOrder: (params.get('sortOrder') || '').toUpperCase() === 'DESC' ? 'DESC' : (params.get('sortOrder') ? 'ASC' : ''),
      pageSize: params.get('pageSize') || '',
      pageToken: params.get('pageToken') || '',
    };
    const sizeValue = query.pageSize || String(DEFAULT_PAGE_SIZE);
    // Page tokens are opaque cursors: the console learns which page a token leads to (and the
    // token of the page before it) from the pages it has shown, so back/forward keep working.
    const linksKey = `${pluginName}/${plural}?${query.filterQuery}|${query.orderBy}|${query.sortOrder}|${sizeValue}`;
    if (!state.pageLinks.has(linksKey)) state.pageLinks.set(linksKey, new Map());
    const links = state.pageLinks.get(linksKey);
    const here = query.pageToken ? links.get(query.pageToken) : { prev: null, page: 1 };
    const page = here ? here.page : null; // null: a page reached by a link, its number unknown
    const prevToken = here ? here.prev : '';

    const go = (changes) => {
      const next = new URLSearchParams();
      const merged = { ...query, pageToken: '', ...changes };
      for (const key of ['filterQuery', 'orderBy', 'sortOrder', 'pageSize', 'pageToken']) if (merged[key]) next.set(key, merged[key]);
      navigate(hashFor(['catalog', pluginName, plural], next));
    };

    view.append(breadcrumbs([['Overview', '#/plugins'], [title, hashFor(['plugins', pluginName])], [entity.displayName || plural]]),
      h('div', { class: 'page-head' }, h('div', {},
        h('h1', { testid: 'list-title' }, title, ' ', h('span', { class: 'muted', text: `· ${entity.displayName || plural}` })),
        h('p', { class: 'lede', text: entity.description || (doc.plugin && doc.plugin.description) || '' }))));

    // Query form: filterQuery, sort, page size.
    const sortable = columns.filter((c) => c.sortable === true && typeof c.name === 'string');
    const filterInput = h('input', {
      id: 'filter-query', type: 'search', testid: 'filter-input', value: query.filterQuery, spellcheck: 'false',
      placeholder: filterPlaceholder(entity), autocomplete: 'off',
    });
    const orderSelect = h('select', { id: 'order-by', testid: 'order-by' },
      h('option', { value: '', text: 'default order' }),
      sortable.map((c) => h('option', { value: c.name, selected: c.name === query.orderBy, text: c.displayName || c.name })));
    const directionSelect = h('select', { id: 'sort-order', testid: 'sort-order' },
      h('option', { value: 'ASC', selected: query.sortOrder !== 'DESC', text: 'ascending' }),
      h('option', { value: 'DESC', selected: query.sortOrder === 'DESC', text: 'descending' }));
    const sizes = PAGE_SIZES.includes(Number(sizeValue)) ? PAGE_SIZES : [...PAGE_SIZES, Number(sizeValue)].filter(Number.isFinite).sort((a, b) => a - b);
    const sizeSelect = h('select', { id: 'page-size', testid: 'page-size' },
      sizes.map((n) => h('option', { value: String(n), selected: String(n) === sizeValue, text: String(n) })));
    const form = h('form', { class: 'query-form card', testid: 'query-form', role: 'search', onsubmit: (event) => {
      event.preventDefault();
      go({
        filterQuery: filterInput.value.trim(),
        orderBy: orderSelect.value,
        sortOrder: directionSelect.value === 'DESC' ? 'DESC' : (orderSelect.value ? 'ASC' : ''),
        pageSize: sizeSelect.value === String(DEFAULT_PAGE_SIZE) && !query.pageSize ? '' : sizeSelect.value,
      });
    } },
    h('div', { class: 'field grow' }, h('label', { for: 'filter-query', text: 'filterQuery' }), filterInput),
    h('div', { class: 'field' }, h('label', { for: 'order-by', text: 'Sort by' }), orderSelect),
    h('div', { class: 'field' }, h('label', { for: 'sort-order', text: 'Order' }), directionSelect),
    h('div', { class: 'field' }, h('label', { for: 'page-size', text: 'Page size' }), sizeSelect),
    h('div', { class: 'field actions' },
      h('button', { type: 'submit', testid: 'filter-apply' }, 'Apply'),
      h('button', { type: 'button', class: 'secondary', testid: 'filter-clear', onclick: () => go({ filterQuery: '', orderBy: '', sortOrder: '' }) }, 'Clear')),
    conditionBuilder(entity, filterInput));
    view.append(form);

    // The list itself, through the document's list endpoint.
    if (typeof endpoints.list !== 'string') {
      view.append(h('div', { class: 'alert alert-error', role: 'alert', testid: 'list-error' }, 'The capabilities document declares no list endpoint for this entity.'));
      return;
    }
    const search = new URLSearchParams();
    search.set('pageSize', sizeValue);
    for (const key of ['filterQuery', 'orderBy', 'sortOrder', 'pageToken']) if (query[key]) search.set(key, query[key]);
    const result = await api(`${endpoints.list}?${search}`);
    if (seq !== state.renderSeq) return;
    if (!result.ok) {
      view.append(errorBox(result, 'The list request', 'list-error'));
      return;
    }
    const body = isObject(result.data) ? result.data : {};
    const items = Array.isArray(body.items) ? body.items.filter(isObject) : [];
    const nextToken = typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : '';
    if (nextToken) links.set(nextToken, { prev: query.pageToken, page: page === null ? null : page + 1 });
    const size = Number(sizeValue);
    const first = page === null ? 0 : (page - 1) * size + 1;
    const last = page === null ? 0 : (page - 1) * size + items.length;
    // `size` counts every match in most catalogs but only the page's items in some (the model
    // catalog's contract list): it is shown as a total only where it cannot be the latter.
    const total = typeof body.size === 'number' && page !== null && (body.size > last || (body.size === last && !nextToken)) ? body.size : null;
    let pageText = page === null ? 'A later page' : `Page ${page}`;
    if (items.length && page !== null) pageText += ` · ${first}–${last}${total !== null ? ` of ${total}` : ''}`;
    else if (!items.length) pageText += ' · no items';

    const nameKey = nameField(entity);
    const headerCells = columns.map((c) => {
      const sorted = query.orderBy === c.name;
      const dir = sorted && query.sortOrder === 'DESC' ? 'descending' : 'ascending';
      const th = h('th', { scope: 'col', class: `col-${['sm', 'md', 'lg'].includes(c.width) ? c.width : 'md'}`, 'aria-sort': sorted ? dir : null, 'data-column': c.name });
      if (c.sortable === true) {
        th.append(h('button', {
          type: 'button', class: 'th-sort', testid: `sort-${c.name}`,
          title: `Sort by ${c.displayName || c.name}`,
          onclick: () => go({ orderBy: c.name, sortOrder: sorted && query.sortOrder !== 'DESC' ? 'DESC' : 'ASC' }),
        }, c.displayName || c.name, h('span', { class: 'sort-mark', 'aria-hidden': 'true', text: sorted ? (dir === 'descending' ? '▼' : '▲') : '↕' })));
      } else {
        th.textContent = c.displayName || c.name;
      }
      return th;
    });
    const rows = items.map((item) => {
      const name = valueAt(item, nameKey);
      const detailHash = typeof name === 'string' ? hashFor(['catalog', pluginName, plural, 'entity', name]) : null;
      return h('tr', { testid: 'entity-row', 'data-name': typeof name === 'string' ? name : '' },
        columns.map((c, i) => {
          const value = valueAt(item, c.path || c.name);
          const cell = h('td', { 'data-column': c.name, class: `col-${['sm', 'md', 'lg'].includes(c.width) ? c.width : 'md'}` });
          if (i === 0 && detailHash) {
            cell.append(h('a', { href: detailHash, class: 'strong', testid: 'entity-link', text: String(value ?? name) }));
            const overlay = isObject(item.overlay) ? item.overlay : null;
            if (overlay) cell.append(overlayMarks(overlay));
          } else {
            cell.append(renderValue(value, c.type, { compact: true }));
          }
          return cell;
        }));
    });

    const pager = h('div', { class: 'pager', testid: 'pager' },
      h('span', { class: 'page-info', testid: 'page-info', text: pageText }),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'secondary', testid: 'page-first', disabled: !query.pageToken, onclick: () => go({}) }, '« First'),
      h('button', { type: 'button', class: 'secondary', testid: 'page-prev', disabled: !query.pageToken, onclick: () => go({ pageToken: prevToken || '' }) }, '‹ Previous'),
      h('button', { type: 'button', class: 'secondary', testid: 'page-next', disabled: !nextToken, onclick: () => go({ pageToken: nextToken }) }, 'Next ›'));

    view.append(h('section', { class: 'card list-card', testid: 'list' },
      h('div', { class: 'list-meta' },
        h('span', { testid: 'list-count', text: `${items.length} item${items.length === 1 ? '' : 's'} on this page` }),
        query.filterQuery ? h('span', { class: 'chip chip-filter', testid: 'active-filter', title: 'active filterQuery', text: query.filterQuery }) : null),
      items.length ? table(headerCells, rows, 'entity-table', 'entity-table') : h('p', { class: 'empty', testid: 'list-empty', text: 'No entity matches.' }),
      pager));
  }

  function filterPlaceholder(entity) {
    const fields = entity.fields && Array.isArray(entity.fields.filterFields) ? entity.fields.filterFields.filter(isObject) : [];
    const withOptions = fields.find((f) => Array.isArray(f.options) && f.options.length && typeof f.name === 'string');
    if (withOptions) return `e.g. ${withOptions.name} = '${withOptions.options[0]}'`;
    const numeric = fields.find((f) => ['integer', 'number'].includes(f.type));
    if (numeric) return `e.g. ${numeric.name} > 1`;
    return "e.g. name ILIKE '%text%'";
  }

  /** A condition builder from the document's filterFields: appends `field op value` to the query. */
  function conditionBuilder(entity, input) {
    const fields = entity.fields && Array.isArray(entity.fields.filterFields)
      ? entity.fields.filterFields.filter((f) => isObject(f) && typeof f.name === 'string' && Array.isArray(f.operators) && f.operators.length)
      : [];
    if (!fields.length) return null;
    const fieldSelect = h('select', { id: 'cond-field', testid: 'cond-field' }, fields.map((f, i) => h('option', { value: String(i), text: f.displayName && f.displayName !== f.name ? `${f.displayName} (${f.name})` : f.name })));
    const opSelect = h('select', { id: 'cond-op', testid: 'cond-op' });
    const valueHolder = h('span', { class: 'cond-value' });
    let valueInput;
    const refresh = () => {
      const field = fields[Number(fieldSelect.value)] || fields[0];
      clear(opSelect).append(...field.operators.filter((o) => typeof o === 'string').map((o) => h('option', { value: o, text: o })));
      if (Array.isArray(field.options) && field.options.length) {
        valueInput = h('select', { id: 'cond-value', testid: 'cond-value' }, field.options.map((o) => h('option', { value: String(o), text: String(o) })));
      } else if (field.type === 'boolean') {
        valueInput = h('select', { id: 'cond-value', testid: 'cond-value' }, h('option', { value: 'true', text: 'true' }), h('option', { value: 'false', text: 'false' }));
      } else {
        valueInput = h('input', { id: 'cond-value', type: 'text', testid: 'cond-value', placeholder: field.type || 'value', autocomplete: 'off' });
      }
      clear(valueHolder).append(valueInput);
    };
    fieldSelect.addEventListener('change', refresh);
    refresh();
    const addCondition = () => {
      const field = fields[Number(fieldSelect.value)] || fields[0];
      const op = opSelect.value;
      const raw = valueInput.value.trim();
      const literal = (v) => {
        if (field.type === 'boolean' && (v === 'true' || v === 'false')) return v.toUpperCase();
        if (['integer', 'number', 'timestamp'].includes(field.type) && v !== '' && Number.isFinite(Number(v))) return v;
        return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
      };
      const value = op === 'IN' ? `(${raw.split(',').map((v) => literal(v.trim())).join(', ')})` : literal(raw);
      const condition = `${field.name} ${op} ${value}`;
      input.value = input.value.trim() ? `${input.value.trim()} AND ${condition}` : condition;
      input.focus();
    };
    return h('details', { class: 'builder', testid: 'condition-builder' },
      h('summary', { text: 'Add a condition from the declared filter fields' }),
      h('div', { class: 'builder-row' },
        h('label', { for: 'cond-field', class: 'sr-only', text: 'Field' }), fieldSelect,
        h('label', { for: 'cond-op', class: 'sr-only', text: 'Operator' }), opSelect,
        h('label', { for: 'cond-value', class: 'sr-only', text: 'Value' }), valueHolder,
        h('button', { type: 'button', class: 'secondary', testid: 'cond-add', onclick: addCondition }, 'Add to query')));
  }

  function overlayMarks(overlay) {
    const tags = Array.isArray(overlay.tags) ? overlay.tags : [];
    const marks = h('span', { class: 'chips overlay-marks', testid: 'row-tags' }, tags.map((t) => chip(String(t), 'chip-tag')));
    if (overlay.lifecycle) marks.append(badge(String(overlay.lifecycle), overlay.lifecycle === 'deprecated' ? 'warn' : 'neutral', 'row-lifecycle'));
    return marks;
  }

  // ---------------------------------------------------------------- entity detail

  async function renderDetail(view, pluginName, plural, name) {
    const resolved = await resolveEntity(pluginName, plural);
    if (resolved.error) return resolveError(view, resolved);
    const { plugin, doc, entity, endpoints } = resolved;
    const title = pluginTitle(plugin, doc);
    document.title = `${name} · ${title} · catalog-server console`;
    const listHash = state.lastList.get(`${pluginName}/${plural}`) || hashFor(['catalog', pluginName, plural]);

    view.append(breadcrumbs([['Overview', '#/plugins'], [title, listHash], [name]]));
    const head = h('div', { class: 'page-head' },
      h('div', {}, h('h1', { testid: 'entity-title', text: name }), h('p', { class: 'lede', text: entity.displayName || entity.kind || plural })));
    view.append(head);

    const [got, asset] = await Promise.all([
      typeof endpoints.get === 'string' ? api(expand(endpoints.get, name)) : Promise.resolve(null),
      typeof endpoints.asset === 'string' ? api(expand(endpoints.asset, name)) : Promise.resolve(null),
    ]);
    if (got && !got.ok) {
      view.append(errorBox(got, 'GET entity', 'entity-error'));
      return;
    }
    const item = got && isObject(got.data) ? got.data : null;
    // Writes go only to this plugin's own management API, whatever its document says.
    const ownActions = typeof endpoints.action === 'string' && typeof plugin.basePath === 'string'
      && endpoints.action.startsWith(`${plugin.basePath}/management/`);
    const actions = ownActions ? entityActions(doc, entity) : [];
    const grid = h('div', { class: 'detail-grid' });
    const mainCol = h('div', { class: 'detail-main' });
    const sideCol = h('div', { class: 'detail-side' });
    grid.append(mainCol, sideCol);
    view.append(grid);

    if (item) {
      if (typeof item.description === 'string' && item.description) head.firstChild.append(h('p', { class: 'description', testid: 'entity-description', text: item.description }));
      mainCol.append(...detailSections(entity, item, typeof item.description === 'string' && item.description ? 'description' : null));
    } else if (!got) {
      mainCol.append(h('p', { class: 'card muted', text: 'The document declares no get endpoint for this entity.' }));
    }

    // The asset envelope: tags, annotations, lifecycle.
    if (asset) sideCol.append(asset.ok ? assetCard(asset.data) : errorBox(asset, 'GET asset', 'asset-error'));
    if (actions.length) sideCol.append(actionsCard(actions, endpoints.action, name));

    // Other endpoints with {name} (e.g. a model's artifacts): shown as sub-lists.
    for (const [key, template] of Object.entries(endpoints)) {
      if (['get', 'asset', 'action', 'list', 'sources'].includes(key) || typeof template !== 'string' || !template.includes('{name}')) continue;
      mainCol.append(await subresourceCard(key, expand(template, name)));
    }
    if (item) {
      mainCol.append(h('details', { class: 'card raw' }, h('summary', { text: 'Raw JSON' }), h('pre', { class: 'json', testid: 'entity-json', text: JSON.stringify(item, null, 2) })));
    }
  }

  function detailSections(entity, item, shownAbove) {
    const declared = entity.fields && Array.isArray(entity.fields.detailFields) ? entity.fields.detailFields.filter(isObject) : [];
    const hinted = entity.uiHints && Array.isArray(entity.uiHints.detailSections) ? entity.uiHints.detailSections.filter((s) => typeof s === 'string') : [];
    const cards = [];
    if (!declared.length) {
      const pairs = Object.entries(item).filter(([k]) => k !== 'overlay').map(([k, v]) => [k, renderValue(v)]);
      cards.push(section('Fields', 'detail-section', definitionList(pairs, 'detail-fields')));
    } else {
      const sections = [...hinted];
      for (const f of declared) if (typeof f.section === 'string' && !sections.includes(f.section)) sections.push(f.section);
      if (declared.some((f) => typeof f.section !== 'string')) sections.push('Details');
      for (const title of sections) {
        const fields = declared.filter((f) => (typeof f.section === 'string' ? f.section : 'Details') === title && (f.path || f.name) !== shownAbove);
        const pairs = fields
          .map((f) => [f, valueAt(item, f.path || f.name)])
          .filter(([, v]) => v !== undefined && v !== null && v !== '')
          .map(([f, v]) => [f.displayName || f.name, renderValue(v, f.type)]);
        if (!pairs.length) continue;
        const alone = pairs.length === 1 && pairs[0][0] === title;
        const card = section(title, 'detail-section', alone ? h('div', { testid: 'detail-fields' }, pairs[0][1]) : definitionList(pairs, 'detail-fields'));
        card.dataset.section = title;
        cards.push(card);
      }
    }
    const overlay = isObject(item.overlay) ? item.overlay : null;
    if (overlay) {
      cards.unshift(h('div', { class: 'overlay-banner', testid: 'entity-overlay' }, muted('Overlay: '), overlayMarks(overlay),
        overlay.updatedAt ? muted(` updated ${overlay.updatedAt}`) : null));
    }
    return cards;
  }

  function assetCard(envelope) {
    const metadata = isObject(envelope && envelope.metadata) ? envelope.metadata : {};
    const status = isObject(envelope && envelope.status) ? envelope.status : {};
    const tags = Array.isArray(metadata.tags) ? metadata.tags : [];
    const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
    const labels = isObject(metadata.labels) ? metadata.labels : {};
    const lifecycle = typeof status.lifecycle === 'string' ? status.lifecycle : '—';
    return section('Asset', 'asset', definitionList([
      ['Kind', envelope && envelope.kind ? String(envelope.kind) : '—'],
      ['Lifecycle', badge(lifecycle, lifecycle === 'active' ? 'ok' : lifecycle === 'deprecated' ? 'warn' : 'neutral', 'asset-lifecycle')],
      ['Health', status.health ? String(status.health) : '—'],
      ['Tags', tags.length ? h('span', { class: 'chips', testid: 'asset-tags' }, tags.map((t) => chip(String(t), 'chip-tag'))) : h('span', { testid: 'asset-tags' }, muted('none'))],
      ['Annotations', Object.keys(annotations).length
        ? h('ul', { class: 'plain annotations', testid: 'asset-annotations' }, Object.entries(annotations).map(([k, v]) => h('li', {}, h('code', { text: k }), ' = ', h('span', { text: String(v) }))))
        : h('span', { testid: 'asset-annotations' }, muted('none'))],
      ['Labels', Object.keys(labels).length ? h('span', { class: 'chips' }, Object.entries(labels).map(([k, v]) => chip(v === 'true' ? k : `${k}=${v}`))) : muted('none')],
      isObject(metadata.sourceRef) ? ['Source', h('code', { text: String(metadata.sourceRef.sourceId ?? JSON.stringify(metadata.sourceRef)) })] : null,
    ], 'asset-fields'));
  }

  async function subresourceCard(key, path) {
    const title = key.charAt(0).toUpperCase() + key.slice(1);
    const result = await api(path);
    if (!result.ok) return h('section', { class: 'card', testid: `sub-${key}` }, h('h2', { text: title }), errorBox(result, `GET ${key}`, `sub-${key}-error`));
    const items = isObject(result.data) && Array.isArray(result.data.items) ? result.data.items.filter(isObject) : null;
    if (!items) return section(title, `sub-${key}`, h('pre', { class: 'json', text: JSON.stringify(result.data, null, 2) }));
    if (!items.length) return section(title, `sub-${key}`, h('p', { class: 'empty', text: 'None.' }));
    const keys = [];
    for (const it of items) for (const k of Object.keys(it)) if (!keys.includes(k)) keys.push(k);
    // Names and scalars first, nested values next, timestamps last.
    const rank = (k) => (k === 'name' ? 0 : /TimeSinceEpoch$|Time$|At$/.test(k) ? 3 : items.some((it) => it[k] !== null && typeof it[k] === 'object') ? 2 : 1);
    const shown = keys.map((k, i) => [rank(k), i, k]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]).slice(0, 8);
    return section(`${title} (${items.length})`, `sub-${key}`, table(shown, items.map((it) => h('tr', {},
      shown.map((k) => h('td', {}, renderValue(it[k], /TimeSinceEpoch$/.test(k) ? 'timestamp' : undefined, { compact: true }))))), `sub-${key}-table`));
  }

  // ---------------------------------------------------------------- actions

  function actionsCard(actions, template, name) {
    const result = h('div', { class: 'action-result', testid: 'action-result', 'aria-live': 'polite' });
    const dryRun = h('input', { type: 'checkbox', id: 'dry-run', testid: 'dry-run' });
    const anyDry = actions.some((a) => a.supportsDryRun === true);
    const run = async (actionId, params, button) => {
      clear(result);
      button.disabled = true;
      const body = { action: actionId, params };
      if (anyDry && dryRun.checked) body.dryRun = true;
      const response = await api(expand(template, name), { method: 'POST', body });
      button.disabled = false;
      if (!response.ok) {
        result.append(errorBox(response, `Action ${actionId}`, 'action-error'));
        result.scrollIntoView({ block: 'nearest' });
        return;
      }
      const data = isObject(response.data) ? response.data : {};
      const answer = { action: actionId, status: String(data.status || 'done'), message: String(data.message || '') };
      if (answer.status === 'dry-run') {
        result.append(actionAnswer(answer));
        result.scrollIntoView({ block: 'nearest' });
      } else {
        // Re-read the entity and its asset envelope; the answer stays on the re-rendered view.
        state.flash = { hash: location.hash, answer };
        render();
      }
    };
    if (state.flash && state.flash.hash === location.hash) result.append(actionAnswer(state.flash.answer));
    state.flash = null;
    const forms = actions.map((action) => actionForm(action, run));
    return section('Actions', 'actions',
      h('p', { class: 'small muted', text: 'Management writes may need an admin token (top right).' }),
      result,
      anyDry ? h('div', { class: 'check' }, dryRun, h('label', { for: 'dry-run', text: 'Dry run: show the result, store nothing' })) : null,
      forms);
  }

  function actionAnswer({ action, status, message }) {
    return h('div', { class: 'alert alert-ok', role: 'status', testid: 'action-ok' },
      h('div', { class: 'alert-title' }, `${action}: `, badge(status, status === 'dry-run' ? 'info' : 'ok', 'action-status')),
      h('div', { testid: 'action-message', text: message }));
  }

  function actionForm(action, run) {
    const id = action.id;
    const label = action.displayName || id;
    const wrap = (...children) => h('form', { class: 'action-form', testid: `action-${id}`, onsubmit: (e) => e.preventDefault(), title: action.description || '' },
      h('h3', { text: label }), action.description ? h('p', { class: 'small muted', text: action.description }) : null, ...children);
    const field = (inputId, text, attrs) => {
      const input = h('input', { id: inputId, type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs });
      return [h('label', { for: inputId, text }), input];
    };
    if (id === 'tag') {
      const [l, input] = field('tag-input', 'Tags (comma-separated)', { testid: 'tag-input', placeholder: 'prod, reviewed' });
      const list = () => input.value.split(',').map((t) => t.trim()).filter(Boolean);
      const addButton = h('button', { type: 'submit', testid: 'tag-add' }, 'Add tags');
      const removeButton = h('button', { type: 'button', class: 'secondary', testid: 'tag-remove' }, 'Remove tags');
      addButton.addEventListener('click', () => list().length && run('tag', { tags: list() }, addButton));
      removeButton.addEventListener('click', () => list().length && run('tag', { remove: list() }, removeButton));
      return wrap(l, input, h('div', { class: 'buttons' }, addButton, removeButton));
    }
    if (id === 'annotate') {
      const [lk, key] = field('annotation-key', 'Name', { testid: 'annotation-key', placeholder: 'owner' });
      const [lv, value] = field('annotation-value', 'Value', { testid: 'annotation-value', placeholder: 'sre' });
      const setButton = h('button', { type: 'submit', testid: 'annotate-set' }, 'Set');
      const removeButton = h('button', { type: 'button', class: 'secondary', testid: 'annotate-remove' }, 'Remove');
      setButton.addEventListener('click', () => key.value.trim() && run('annotate', { annotations: { [key.value.trim()]: value.value } }, setButton));
      removeButton.addEventListener('click', () => key.value.trim() && run('annotate', { annotations: { [key.value.trim()]: null } }, removeButton));
      return wrap(h('div', { class: 'pair' }, h('div', {}, lk, key), h('div', {}, lv, value)), h('div', { class: 'buttons' }, setButton, removeButton));
    }
    if (id === 'deprecate') {
      const [l, phase] = field('deprecate-phase', 'Phase (optional)', { testid: 'deprecate-phase', placeholder: 'sunset' });
      const depButton = h('button', { type: 'submit', class: 'warn', testid: 'deprecate-run' }, 'Deprecate');
      const restoreButton = h('button', { type: 'button', class: 'secondary', testid: 'deprecate-restore' }, 'Restore');
      depButton.addEventListener('click', () => run('deprecate', phase.value.trim() ? { phase: phase.value.trim() } : {}, depButton));
      restoreButton.addEventListener('click', () => run('deprecate', { restore: true }, restoreButton));
      return wrap(l, phase, h('div', { class: 'buttons' }, depButton, restoreButton));
    }
    // An action the console has no form for: params as JSON.
    const area = h('textarea', { id: `params-${id}`, rows: '3', testid: `params-${id}`, spellcheck: 'false', placeholder: '{}' });
    const runButton = h('button', { type: 'submit', testid: `run-${id}` }, `Run ${label}`);
    const problem = h('div', { class: 'error-inline small' });
    runButton.addEventListener('click', () => {
      problem.textContent = '';
      let params = {};
      try { params = area.value.trim() ? JSON.parse(area.value) : {}; } catch (error) { problem.textContent = `params are not JSON: ${error.message}`; return; }
      if (!isObject(params)) { problem.textContent = 'params must be a JSON object'; return; }
      run(id, params, runButton);
    });
    return wrap(h('label', { for: `params-${id}`, text: 'params (JSON object)' }), area, problem, h('div', { class: 'buttons' }, runButton));
  }

  // ---------------------------------------------------------------- start

  window.addEventListener('hashchange', () => render());
  document.addEventListener('DOMContentLoaded', () => {
    setupToken();
    // The skip link focuses the content without touching the hash (the hash is the route).
    document.querySelector('.skip-link').addEventListener('click', (event) => {
      event.preventDefault();
      document.getElementById('main').focus();
    });
    if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/plugins');
    render();
  });
})();
