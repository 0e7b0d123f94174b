// Parley admin page: everything it shows comes from /api/ with the bearer token, and goes into the
// page through textContent only (names, addresses and log lines are all client-controlled text).
(() => {
  'use strict';

  const COOKIE = 'parley_admin';
  const $ = (id) => document.getElementById(id);

  // The token arrives once in the URL (?token=, the link the server prints); keep it in a cookie
  // scoped to /admin so a reload works, and take it out of the address bar and history.
  const params = new URLSearchParams(location.search);
  let token = params.get('token');
  if (token) {
    document.cookie = `${COOKIE}=${encodeURIComponent(token)}; path=/admin; samesite=strict${location.protocol === 'https:' ? '; secure' : ''}`;
    history.replaceState(null, '', '/admin');
  } else {
    const match = document.cookie.split('; ').find((c) => c.startsWith(`${COOKIE}=`));
    token = match ? decodeURIComponent(match.slice(COOKIE.length + 1)) : '';
  }

  function signOut() {
    document.cookie = `${COOKIE}=; path=/admin; max-age=0; samesite=strict`;
    location.replace('/admin');
  }

  async function api(path, body) {
    const init = { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' };
    if (body !== undefined) {
      init.method = 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`/api/${path}`, init);
    if (response.status === 401) {
      signOut();
      throw new Error('signed out');
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
    return data;
  }

  // ---- formatting ----

  const pad = (n) => String(n).padStart(2, '0');
  function clock(iso) {
    const d = new Date(iso);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  function since(iso) {
    const d = new Date(iso);
    const today = new Date().toDateString() === d.toDateString();
    return today ? clock(iso) : `${d.toLocaleDateString()} ${clock(iso)}`;
  }
  function uptime(seconds) {
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return d > 0 ? `${d}d ${h}h ${pad(m)}m` : h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : `${m}m ${pad(s)}s`;
  }
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function setStatus(kind, text) {
    $('status').dataset.state = kind;
    $('status-text').textContent = text;
  }

  let feedbackTimer = 0;
  function feedback(text, tone) {
    const box = $('feedback');
    box.textContent = text;
    box.dataset.tone = tone;
    box.hidden = false;
    clearTimeout(feedbackTimer);
    feedbackTimer = setTimeout(() => { box.hidden = true; }, 6000);
  }

  // ---- status, clients, pending ----

  function renderStatus(s) {
    $('stat-uptime').textContent = uptime(s.uptimeSeconds);
    $('stat-connections').textContent = s.connections;
    $('stat-users').textContent = s.users;
    $('stat-rate').textContent = Number(s.messagesPerSecond).toFixed(s.messagesPerSecond < 10 ? 1 : 0);
    $('stat-total').textContent = s.messagesTotal;
    $('stat-approval').textContent = s.approveJoins ? 'On' : 'Off';
    $('stat-approval-note').textContent = s.approveJoins ? `${s.pending} waiting` : 'everyone may join';
    $('pending-panel').hidden = !s.approveJoins;
  }

  function renderClients(clients) {
    const body = $('clients-body');
    body.replaceChildren();
    for (const c of clients) {
      const row = document.createElement('tr');
      row.dataset.id = c.id;
      if (c.username) row.dataset.name = c.username;
      const name = el('td');
      name.append(el('span', c.username || 'no name yet', c.username ? 'name' : 'name none'));
      if (c.state !== 'joined') name.append(el('span', c.state, `state state-${c.state}`));
      row.append(
        name,
        el('td', c.address, 'mono'),
        el('td', c.transport === 'ws' ? 'WebSocket' : `TCP ${c.protocol}`),
        el('td', since(c.connectedAt)),
        el('td', c.messagesSent, 'num'));
      const actions = el('td', null, 'actions');
      if (c.username && c.state === 'joined') {
        const kick = el('button', 'Kick', 'danger small');
        kick.type = 'button';
        kick.setAttribute('aria-label', `Kick ${c.username}`);
        kick.addEventListener('click', () => askReason('kick', c.username));
        actions.append(kick);
      }
      row.append(actions);
      body.append(row);
    }
    $('clients-count').textContent = clients.length;
    $('clients-empty').hidden = clients.length > 0;
  }

  function renderPending(pending) {
    const list = $('pending-list');
    list.replaceChildren();
    for (const p of pending) {
      const item = el('li');
      item.dataset.name = p.username;
      const who = el('div', null, 'who');
      who.append(el('strong', p.username), el('span', `${p.address} · ${p.transport === 'ws' ? 'WebSocket' : `TCP ${p.protocol}`} · since ${since(p.connectedAt)}`, 'muted'));
      const approve = el('button', 'Approve', 'primary small');
      approve.type = 'button';
      approve.setAttribute('aria-label', `Approve ${p.username}`);
      approve.addEventListener('click', () => act('approve', { username: p.username }));
      const reject = el('button', 'Reject', 'danger small');
      reject.type = 'button';
      reject.setAttribute('aria-label', `Reject ${p.username}`);
      reject.addEventListener('click', () => askReason('reject', p.username));
      const buttons = el('div', null, 'buttons');
      buttons.append(approve, reject);
      item.append(who, buttons);
      list.append(item);
    }
    $('pending-count').textContent = pending.length;
    $('pending-empty').hidden = pending.length > 0;
  }

  let refreshing = null;
  let again = false;
  async function refresh() {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      try {
        const [status, clients, pending] = await Promise.all([api('status'), api('clients'), api('pending')]);
        renderStatus(status);
        renderClients(clients);
        renderPending(pending);
        setStatus('connected', 'Live');
      } catch (err) {
        if (err.message !== 'signed out') setStatus('disconnected', 'Server unreachable');
      } finally {
        refreshing = null;
        if (again) {
          again = false;
          refresh();
        }
      }
    })();
    return refreshing;
  }

  // ---- actions ----

  async function act(action, body) {
    try {
      const result = await api(action, body);
      feedback(result.message, 'ok');
    } catch (err) {
      feedback(err.message, 'error');
    }
    refresh();
  }

  const dialog = $('reason-dialog');
  let pendingAction = null;
  function askReason(action, username) {
    pendingAction = { action, username };
    $('reason-title').textContent = action === 'kick' ? `Kick ${username}` : `Reject ${username}`;
    $('reason-text').textContent = action === 'kick'
      ? `${username} is disconnected and told the reason.`
      : `${username}'s request to join is turned down and they are told the reason.`;
    $('reason-confirm').textContent = action === 'kick' ? 'Kick' : 'Reject';
    $('reason').value = '';
    dialog.showModal();
    $('reason').focus();
  }
  $('reason-cancel').addEventListener('click', () => dialog.close('cancel'));
  $('reason-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = pendingAction;
    dialog.close('confirm');
    pendingAction = null;
    if (chosen) act(chosen.action, { username: chosen.username, reason: $('reason').value.trim() });
  });

  $('announce-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('announce-text');
    if (!text.value.trim()) return;
    await act('announce', { message: text.value });
    text.value = '';
  });
  $('announce-text').addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter is a new line (the server turns it into a space anyway).
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('announce-form').requestSubmit();
    }
  });
  $('logout').addEventListener('click', signOut);

  // ---- activity (long poll) ----

  const log = $('activity');
  function appendActivity(entries) {
    const follow = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    for (const e of entries) {
      const item = el('li', null, `entry k-${e.kind}`);
      const time = el('time', clock(e.time));
      time.dateTime = e.time;
      item.append(time, el('span', e.text, 'text'));
      log.append(item);
    }
    while (log.childElementCount > 500) log.firstElementChild.remove();
    if (follow) log.scrollTop = log.scrollHeight;
  }

  async function followActivity() {
    let after = 0;
    for (;;) {
      try {
        const batch = await api(`activity?after=${after}&wait=25`);
        if (batch.last < after) log.replaceChildren(); // the server restarted
        after = batch.last;
        if (batch.entries.length > 0) {
          appendActivity(batch.entries);
          refresh();
        }
      } catch (err) {
        if (err.message === 'signed out') return;
        setStatus('disconnected', 'Server unreachable');
        await new Promise((resolve) => { setTimeout(resolve, 3000); });
      }
    }
  }

  if (!token) {
    signOut();
    return;
  }
  refresh();
  setInterval(refresh, 5000);
  followActivity();
})();
