// Spacebot web chat. Plain JS, no build step. User content is only ever set as text (never innerHTML).
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const ui = {
    log: $('log'), agent: $('agent'), sender: $('sender'), newChat: $('new-chat'), auth: $('auth'), token: $('token'),
    typing: $('typing'), typingText: $('typing-text'), composer: $('composer'), input: $('input'), send: $('send'),
    sendError: $('send-error'), conn: $('conn'), version: $('version'), operator: $('operator'),
  };
  const store = {
    get(k, d) { try { const v = localStorage.getItem('spacebot.' + k); return v === null ? d : v; } catch { return d; } },
    set(k, v) { try { localStorage.setItem('spacebot.' + k, v); } catch { /* private mode */ } },
  };
  const state = {
    agents: [], agentId: null, sessionId: null, gen: 0, es: null, resync: false, retry: 0, retryTimer: null,
    visitor: false,          // no operator token: this page holds a session token for one conversation per agent
    visit: null,             // {token, session_id, expires_at} of the open conversation, in visitor mode
    seen: new Map(),         // server message id -> element (dedupes replays and our own sends)
    pendingSends: new Map(), // client_message_id -> {el, text} while the POST is in flight
    streamEl: null, typing: false, tool: null,
  };

  function uuid() {
    try { if (window.crypto && crypto.randomUUID) return crypto.randomUUID(); } catch { /* non-secure context */ }
    const b = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const enc = encodeURIComponent;
  const senderName = () => ui.sender.value.trim() || 'you';
  const agentName = () => (state.agents.find((a) => a.id === state.agentId) || {}).name || state.agentId;
  const channelId = () => `portal:chat:${state.agentId}:${state.sessionId}`;

  // ---------------------------------------------------------------- HTTP
  class ApiError extends Error { constructor(status, msg) { super(msg); this.status = status; } }
  // The operator's API token if one was pasted; else, for a visitor, the session token of this conversation.
  const credential = () => store.get('token', '') || (state.visitor && state.visit ? state.visit.token : '');
  async function api(path, opts = {}) {
    const headers = {};
    const token = opts.token !== undefined ? opts.token : credential();
    if (token) headers.Authorization = 'Bearer ' + token;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, { method: opts.method || 'GET', headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    } catch { throw new ApiError(0, 'Cannot reach the server.'); }
    let data = null;
    try { data = await res.json(); } catch { /* empty or not JSON */ }
    if (res.status === 401 && !opts.quiet) {
      if (state.visitor) visitExpired(); else showAuth(!!token);
    }
    if (!res.ok) throw new ApiError(res.status, (data && data.error) || `Request failed (HTTP ${res.status}).`);
    return data || {};
  }

  // ---------------------------------------------------------------- rendering
  function linkify(parent, text) {
    const re = /\bhttps?:\/\/[^\s<>"']+/g;
    let last = 0, m;
    while ((m = re.exec(text))) {
      const url = m[0].replace(/[.,;:!?)\]]+$/, '');
      parent.append(text.slice(last, m.index));
      const a = document.createElement('a');
      a.href = url; a.textContent = url; a.target = '_blank'; a.rel = 'noopener noreferrer';
      parent.append(a);
      last = re.lastIndex = m.index + url.length;
    }
    parent.append(text.slice(last));
  }
  function fmtTime(ms) {
    const d = new Date(ms), now = new Date();
    const t = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return d.toDateString() === now.toDateString() ? t : `${d.toLocaleDateString()} ${t}`;
  }
  function node(kind, text, { sender, time, id, status } = {}) {
    const div = document.createElement('div');
    if (kind === 'system' || kind === 'error' || status === 'error' || status === 'failed') {
      div.className = kind === 'error' || status === 'error' || status === 'failed' ? 'line error' : 'line';
      div.textContent = text || '';
    } else {
      div.className = 'msg ' + (kind === 'inbound' ? 'in' : 'out');
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = [sender, time ? fmtTime(time) : ''].filter(Boolean).join(' · ');
      const body = document.createElement('span');
      body.className = 'body';
      linkify(body, text || '');
      div.append(meta, body);
    }
    if (id) { div.dataset.id = id; state.seen.set(id, div); }
    return div;
  }
  function setBody(div, text) { const b = div.querySelector('.body'); b.textContent = ''; linkify(b, text || ''); }
  const nearBottom = () => ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 80;
  const scrollDown = () => { ui.log.scrollTop = ui.log.scrollHeight; };
  function add(div, force) {
    const stick = force || nearBottom();
    ui.log.querySelectorAll('.empty').forEach((e) => e.remove());
    if (state.streamEl && state.streamEl.isConnected && div !== state.streamEl) ui.log.insertBefore(div, state.streamEl);
    else ui.log.append(div);
    if (stick) scrollDown();
    return div;
  }
  function placeholder() {
    if (ui.log.children.length) return;
    const p = document.createElement('div');
    p.className = 'empty';
    p.textContent = `Say hello to ${agentName() || 'Spacebot'}.`;
    ui.log.append(p);
  }
  const line = (text, isError) => add(node(isError ? 'error' : 'system', text));
  function renderTyping() {
    ui.typingText.textContent = state.tool ? `${agentName()} is using ${state.tool}…` : `${agentName()} is typing…`;
    const show = state.typing || !!state.tool;
    if (show !== !ui.typing.hidden) { const stick = nearBottom(); ui.typing.hidden = !show; if (stick) scrollDown(); }
  }
  function setConn(s) { ui.conn.className = 'dot' + (s === 'on' ? ' on' : s === 'off' ? ' off' : ''); ui.conn.title = s === 'on' ? 'connected' : s === 'off' ? 'disconnected' : 'connecting'; }
  function showAuth(rejected) {
    ui.auth.hidden = false;
    ui.auth.querySelector('span').textContent = rejected ? 'The saved API token was rejected. Paste a valid one (or save an empty one to chat as a visitor).'
      : state.visitor ? 'Operator: paste the API token to see every conversation.' : 'This server needs an API token.';
    ui.token.focus();
  }

  // ---------------------------------------------------------------- history
  async function loadHistory() {
    const gen = state.gen;
    let data;
    try {
      data = await api(`/api/portal/history?agent_id=${enc(state.agentId)}&session_id=${enc(state.sessionId)}&limit=100`);
    } catch (e) {
      if (gen === state.gen && e.status !== 401) line('Could not load history: ' + e.message, true);
      return;
    }
    if (gen !== state.gen) return;
    const inflight = [...state.pendingSends.values()].map((p) => p.el);
    const stream = state.typing ? state.streamEl : null;
    ui.log.textContent = '';
    state.seen.clear();
    state.streamEl = null;
    for (const m of data.messages || []) {
      ui.log.append(node(m.direction, m.text, {
        id: m.id, time: m.created_at, status: m.status,
        sender: m.direction === 'outbound' ? agentName() : m.sender_name,
      }));
    }
    inflight.forEach((e) => ui.log.append(e));
    if (stream) { ui.log.append(stream); state.streamEl = stream; }
    placeholder();
    scrollDown();
  }

  // ---------------------------------------------------------------- events
  function closeEvents() {
    clearTimeout(state.retryTimer);
    if (state.es) { state.es.close(); state.es = null; }
  }
  function connect() {
    closeEvents();
    const ch = channelId();
    const token = credential();
    const es = new EventSource(`/api/events?agent_id=${enc(state.agentId)}&channel_id=${enc(ch)}` + (token ? `&token=${enc(token)}` : ''));
    state.es = es;
    let opened = false;
    setConn('connecting');
    es.onopen = () => {
      if (es !== state.es) return;
      setConn('on');
      if (opened || state.resync) loadHistory(); // catch up on whatever happened while disconnected
      opened = true; state.resync = false; state.retry = 0;
    };
    es.onerror = (ev) => {
      if (es !== state.es || typeof ev.data === 'string') return; // a server "error" event, not the connection
      if (es.readyState === EventSource.CLOSED) { es.close(); state.es = null; setConn('off'); reconnectLater(); }
      else setConn('connecting');
    };
    const on = (name, fn) => es.addEventListener(name, (ev) => {
      if (es !== state.es || typeof ev.data !== 'string') return;
      let d;
      try { d = JSON.parse(ev.data || '{}'); } catch { return; }
      if (d.channel_id && d.channel_id !== ch) return;
      fn(d);
    });
    on('inbound_message', onInbound);
    on('typing_state', (d) => { state.typing = !!d.is_typing; if (!state.typing) state.tool = null; renderTyping(); });
    on('outbound_message_delta', (d) => {
      if (!state.streamEl) {
        state.streamEl = node('outbound', '', { sender: agentName(), time: Date.now() });
        state.streamEl.classList.add('streaming');
        state.streamEl.dataset.text = '';
        add(state.streamEl);
      }
      const text = typeof d.aggregated_text === 'string' ? d.aggregated_text : state.streamEl.dataset.text + (d.text_delta || '');
      const stick = nearBottom();
      state.streamEl.dataset.text = text;
      setBody(state.streamEl, text);
      if (stick) scrollDown();
    });
    on('outbound_message', onOutbound);
    on('tool_started', (d) => { state.tool = d.tool_name || 'a tool'; renderTyping(); });
    on('tool_completed', () => { state.tool = null; renderTyping(); });
    on('reaction', (d) => {
      const ins = ui.log.querySelectorAll('.msg.in');
      const target = (d.message_id && state.seen.get(d.message_id)) || ins[ins.length - 1];
      if (!target || !d.emoji) return;
      let r = target.querySelector('.reactions');
      if (!r) { r = document.createElement('span'); r.className = 'reactions'; target.append(r); }
      if (!r.textContent.includes(d.emoji)) r.append(d.emoji);
    });
    on('error', (d) => {
      state.typing = false; state.tool = null; renderTyping();
      if (state.streamEl) { state.streamEl.classList.remove('streaming'); state.streamEl = null; }
      line(d.message || 'The agent reported an error.', true);
    });
    on('lagged', () => loadHistory());
  }
  function reconnectLater() {
    const gen = state.gen;
    const delay = Math.min(30000, 1000 * 2 ** state.retry++);
    state.resync = true;
    state.retryTimer = setTimeout(async () => {
      if (gen !== state.gen) return;
      if (state.visitor) {
        if (!(await openVisit(false))) return; // renews the session token (or starts over if it expired)
      } else {
        try { await api('/api/status'); } catch (e) { if (e.status === 401) return; } // wait for a token
      }
      if (gen === state.gen) connect();
    }, delay);
  }
  function onInbound(d) {
    if (d.message_id && state.seen.has(d.message_id)) return;
    // Our own send, echoed before the POST answered: match by client id echo, else by text.
    const echo = d.client_message_id || d.platform_message_id;
    let match = echo && state.pendingSends.has(echo) ? echo : null;
    if (!match) for (const [cid, p] of state.pendingSends) if (p.text === d.text) { match = cid; break; }
    if (match) {
      const p = state.pendingSends.get(match);
      state.pendingSends.delete(match);
      p.el.classList.remove('pending');
      if (d.message_id) { p.el.dataset.id = d.message_id; state.seen.set(d.message_id, p.el); }
      return;
    }
    add(node('inbound', d.text, { id: d.message_id, sender: d.sender_name, time: Date.now() }));
  }
  function onOutbound(d) {
    const s = state.streamEl;
    if (d.message_id && state.seen.has(d.message_id)) { // replay: drop a re-streamed copy, keep the original
      if (s && (d.text || '').startsWith(s.dataset.text || '')) { s.remove(); state.streamEl = null; }
      return;
    }
    state.streamEl = null;
    if (s && s.isConnected) {
      s.classList.remove('streaming');
      delete s.dataset.text;
      setBody(s, d.text);
      if (d.message_id) { s.dataset.id = d.message_id; state.seen.set(d.message_id, s); }
      if (nearBottom()) scrollDown();
    } else {
      add(node('outbound', d.text, { id: d.message_id, sender: agentName(), time: Date.now() }));
    }
  }

  // ---------------------------------------------------------------- sending
  function autosize() { ui.input.style.height = 'auto'; ui.input.style.height = ui.input.scrollHeight + 2 + 'px'; }
  function updateSend() { ui.send.disabled = !ui.input.value.trim() || !state.agentId; }
  function sendError(msg) { ui.sendError.textContent = msg || ''; ui.sendError.hidden = !msg; }
  async function send() {
    const text = ui.input.value;
    if (!text.trim() || !state.agentId) return;
    const clientId = uuid();
    const div = node('inbound', text, { sender: senderName(), time: Date.now() });
    div.classList.add('pending');
    state.pendingSends.set(clientId, { el: div, text });
    ui.input.value = ''; autosize(); updateSend(); sendError('');
    add(div, true);
    try {
      const r = await api('/api/portal/send', { method: 'POST', body: {
        agent_id: state.agentId, session_id: state.sessionId, sender_name: senderName(), message: text, client_message_id: clientId,
      } });
      state.pendingSends.delete(clientId);
      div.classList.remove('pending');
      const other = r.message_id && state.seen.get(r.message_id);
      if (other && other !== div) div.remove(); // already shown (history reload or echo)
      else if (r.message_id) { div.dataset.id = r.message_id; state.seen.set(r.message_id, div); }
    } catch (e) {
      state.pendingSends.delete(clientId);
      div.remove();
      ui.input.value = ui.input.value ? text + '\n' + ui.input.value : text; // nothing typed is lost
      autosize(); updateSend();
      sendError(e.status !== 401 ? e.message : state.visitor ? 'Your chat session had expired; a new conversation was started. Send again.'
        : 'Not authorized: paste the API token above, then send again.');
      ui.input.focus();
    }
  }

  // ---------------------------------------------------------------- sessions and agents
  // A visitor's conversation: the server picks the session and signs a token for it. A saved token is sent
  // along, so the same conversation continues (renewed) while it is valid; fresh asks for a new one.
  async function openVisit(fresh) {
    const key = 'visit.' + (state.agentId || '');
    let saved = null;
    try { saved = JSON.parse(store.get(key, 'null')); } catch { saved = null; }
    let r;
    try {
      r = await api('/api/portal/session', { method: 'POST', quiet: true,
        token: !fresh && saved && saved.token ? saved.token : '', body: state.agentId ? { agent_id: state.agentId } : {} });
    } catch (e) {
      if (e.status === 400 && state.agentId) { state.agentId = null; return openVisit(fresh); } // an agent since removed
      line(e.status === 429 ? e.message : 'Could not open a conversation: ' + e.message, true);
      return false;
    }
    state.agents = Array.isArray(r.agents) ? r.agents : state.agents;
    state.agentId = r.agent_id;
    state.visit = { token: r.token, session_id: r.session_id, expires_at: r.expires_at };
    store.set('visit.' + r.agent_id, JSON.stringify(state.visit));
    store.set('agent', r.agent_id); // so that a reload continues this conversation
    state.sessionId = r.session_id;
    return true;
  }
  let expiring = false;
  async function visitExpired() { // the session token is no longer accepted: start a new conversation
    if (expiring) return;
    expiring = true;
    try { store.set('visit.' + state.agentId, 'null'); await openSession(true); } finally { expiring = false; }
  }
  function fillAgents() {
    ui.agent.textContent = '';
    for (const a of state.agents) {
      const o = document.createElement('option');
      o.value = a.id; o.textContent = a.name && a.name !== a.id ? `${a.name} (${a.id})` : a.id;
      ui.agent.append(o);
    }
    ui.agent.value = state.agentId;
  }
  async function openSession(fresh) {
    const gen = ++state.gen;
    closeEvents();
    if (state.visitor) {
      if (!(await openVisit(fresh)) || gen !== state.gen) return;
    } else {
      const key = 'session.' + state.agentId;
      state.sessionId = (!fresh && store.get(key, '')) || uuid();
      store.set(key, state.sessionId);
    }
    state.seen.clear(); state.pendingSends.clear(); state.streamEl = null;
    state.typing = false; state.tool = null; state.retry = 0; state.resync = false;
    renderTyping(); sendError('');
    ui.log.textContent = '';
    document.title = `${agentName()} · Spacebot`;
    loadHistory();
    connect();
  }
  async function init() {
    let s;
    const operatorToken = store.get('token', '');
    try { s = await api('/api/status', { quiet: true, token: operatorToken }); } catch (e) {
      setConn('off');
      if (e.status === 401 && !operatorToken) return initVisitor();
      if (e.status === 401) { showAuth(true); return; }
      ui.log.textContent = ''; line('Server unavailable: ' + e.message + ' Retrying…', true); setTimeout(init, 5000);
      return;
    }
    state.visitor = false; state.visit = null;
    ui.auth.hidden = true; ui.operator.hidden = true;
    ui.version.textContent = s.version ? 'v' + s.version : '';
    state.agents = Array.isArray(s.agents) ? s.agents : [];
    if (!state.agents.length) { ui.log.textContent = ''; line('No agents are configured on this server.', true); return; }
    const saved = store.get('agent', '');
    state.agentId = state.agents.some((a) => a.id === saved) ? saved : state.agents[0].id;
    fillAgents();
    updateSend();
    openSession(false);
  }
  // No operator token: chat as a visitor, in conversations of our own only.
  async function initVisitor() {
    state.visitor = true;
    ui.auth.hidden = true; ui.operator.hidden = false; ui.version.textContent = '';
    state.agentId = store.get('agent', '') || null;
    await openSession(false);
    if (!state.agentId) return;
    fillAgents();
    updateSend();
  }

  ui.sender.value = store.get('sender', 'you');
  ui.sender.addEventListener('change', () => { ui.sender.value = senderName(); store.set('sender', ui.sender.value); });
  ui.agent.addEventListener('change', () => { state.agentId = ui.agent.value; store.set('agent', state.agentId); openSession(false); });
  ui.operator.addEventListener('click', () => showAuth(false));
  ui.newChat.addEventListener('click', () => { if (state.agentId) { openSession(true); ui.input.focus(); } });
  ui.auth.addEventListener('submit', (e) => {
    e.preventDefault();
    const t = ui.token.value.trim();
    store.set('token', t); ui.token.value = ''; ui.auth.hidden = true; // an empty token: back to a visitor's chat
    init();
  });
  ui.composer.addEventListener('submit', (e) => { e.preventDefault(); send(); });
  ui.input.addEventListener('input', () => { autosize(); updateSend(); });
  ui.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); send(); }
  });
  init();
})();
