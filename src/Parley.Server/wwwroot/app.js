// Parley browser client. Speaks the JSON protocol over /ws on the page's own origin.
// Every piece of text from the network goes into the page through textContent, never as HTML.
(() => {
  'use strict';

  const MAX_MESSAGE_BYTES = 8 * 1024;
  const MAX_HISTORY = 1000;
  const COLORS = new Set(['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']);
  const NAME_RULE = /^[A-Za-z0-9_.-]{1,32}$/;

  const $ = (id) => document.getElementById(id);
  const ui = {
    status: $('status'), statusText: $('status-text'), retryNow: $('retry-now'),
    me: $('me'), meName: $('me-name'), leave: $('leave'), usersToggle: $('users-toggle'), countBadge: $('user-count-badge'),
    connectView: $('connect-view'), connectForm: $('connect-form'), username: $('username'), password: $('password'), join: $('join'),
    searchForm: $('search-form'), search: $('search'),
    connectMessage: $('connect-message'), origin: $('server-origin'),
    chatView: $('chat-view'), messages: $('messages'), jump: $('jump'),
    composer: $('composer'), modePublic: $('mode-public'), modePrivate: $('mode-private'),
    toField: $('to-field'), to: $('to'), userOptions: $('user-options'), message: $('message'), send: $('send'),
    users: $('users'), userList: $('user-list'), userCount: $('user-count'), roomList: $('room-list'),
    attach: $('attach'), fileInput: $('file-input'), uploads: $('uploads'),
  };

  const state = {
    ws: null,
    name: '',            // the name we asked for, then the one we joined as
    joined: false,       // a welcome arrived on the current socket
    everJoined: false,   // we were in the chat at least once: drops reconnect on their own
    reconnect: false,    // whether a drop should be followed by a reconnect
    attempt: 0,
    timer: 0,
    countdown: 0,
    endNotice: '',       // why the server ended the session (kick, rejection), shown after the close
    room: '#general',    // the room the page is talking in (welcome, then room events): where files are shared
    rooms: ['#general'], // the rooms we are in, in the order joined (room events): what a reconnect rejoins
    rejoin: null,        // after a reconnect, while the old rooms are joined again: { pending, done, goal, timer }
    users: [],
    total: null,         // how many are online when the list is only a page (a large room)
    unseen: 0,
  };

  // ---- connection ---------------------------------------------------------------------------

  function socketUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/ws`;
  }

  function connect() {
    clearTimers();
    state.joined = false;
    state.endNotice = '';
    setStatus('connecting', state.everJoined ? `Reconnecting as ${state.name}…` : 'Connecting…');
    let ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (err) {
      unreachable();
      return;
    }
    state.ws = ws;
    ws.onopen = () => {
      if (ws === state.ws) send(joinRequest(state.name));
    };
    ws.onmessage = (event) => {
      if (ws !== state.ws) return;
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return; // not from a Parley server; nothing sensible to show
      }
      handle(msg);
    };
    ws.onclose = (event) => {
      if (ws === state.ws) closed(event, ws.opened);
    };
    ws.addEventListener('open', () => { ws.opened = true; });
  }

  function send(obj) {
    if (!state.ws || state.ws.readyState !== WebSocket.OPEN) return false;
    state.ws.send(JSON.stringify(obj));
    return true;
  }

  function closed(event, opened) {
    state.ws = null;
    const wasJoined = state.joined;
    state.joined = false;
    abandonRejoin();
    setComposerEnabled(false);
    if (state.endNotice) {
      // Kicked or turned away: the server said why; do not come back on our own.
      state.reconnect = false;
      settleWaiters(false);
      setStatus('disconnected', 'Disconnected');
      showConnect(state.endNotice, 'error');
      return;
    }
    if (state.reconnect) {
      if (wasJoined) addLine('system', 'Connection lost.');
      scheduleReconnect(opened ? '' : 'Server unreachable. ');
      return;
    }
    settleWaiters(false);
    if (!opened) {
      unreachable();
      return;
    }
    setStatus('disconnected', 'Disconnected');
    if (!ui.connectView.hidden) {
      // Closed while joining (for example the login time ran out).
      showConnect(ui.connectMessage.hidden ? 'The server closed the connection. Try again.' : ui.connectMessage.textContent, 'error');
    }
  }

  function unreachable() {
    state.ws = null;
    setStatus('disconnected', 'Server unreachable');
    showConnect(`Cannot reach the server at ${location.host}. Is it running? Check the address and try again.`, 'error');
  }

  function scheduleReconnect(prefix) {
    // Exponential backoff with jitter (1 s, 2 s, 4 s ... 30 s), so a restarted server is not stampeded.
    const base = Math.min(30000, 1000 * 2 ** Math.min(state.attempt, 5));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    state.attempt++;
    state.countdown = Math.ceil(delay / 1000);
    const tick = () => {
      setStatus('disconnected', `${prefix}Reconnecting in ${state.countdown} s…`);
      ui.retryNow.hidden = false;
    };
    tick();
    const interval = setInterval(() => {
      state.countdown = Math.max(0, state.countdown - 1);
      tick();
    }, 1000);
    state.timer = setTimeout(() => {
      clearInterval(interval);
      connect();
    }, delay);
    state.stopCountdown = () => clearInterval(interval);
  }

  function clearTimers() {
    clearTimeout(state.timer);
    if (state.stopCountdown) state.stopCountdown();
    state.stopCountdown = null;
    ui.retryNow.hidden = true;
  }

  function leave() {
    state.reconnect = false;
    state.everJoined = false;
    clearTimers();
    settleWaiters(false);
    if (!send({ type: 'quit' }) && state.ws) state.ws.close(1000, 'left');
    state.ws = null;
    setStatus('idle', 'Not connected');
    showConnect('You left the chat.', 'info');
  }

  // ---- server messages ----------------------------------------------------------------------

  function handle(msg) {
    if (state.rejoin && rejoinAnswer(msg)) return undefined;
    switch (msg.type) {
      case 'welcome': return welcomed(msg);
      case 'pending':
        setStatus('waiting', 'Waiting for approval');
        if (!state.everJoined) {
          showConnect(msg.message || 'Waiting for an operator to let you in…', 'info');
          ui.join.disabled = true;
        }
        return;
      case 'message': {
        // Replayed history and search results are greyed and dated, and always name their room.
        if (msg.history) {
          return addLine('history', msg.content, { who: `${msg.room || '#general'} ${msg.username}`, time: msg.timestamp, dated: true });
        }
        const own = sameName(msg.username, state.name);
        const room = msg.room && msg.room.toLowerCase() !== '#general' ? `${msg.room} ` : '';
        return addLine(own ? 'own' : 'other', msg.content, { who: room + msg.username, time: msg.timestamp, color: msg.color });
      }
      case 'private_message':
        return addLine('pm-in', msg.content, { who: `PM from ${msg.sender}`, time: msg.timestamp, color: msg.color, reply: msg.sender });
      case 'private_confirmation':
        return addLine('pm-out', msg.content + (msg.later ? ' (delivered later)' : msg.delivered === false ? ' (not delivered)' : ''),
          { who: `PM to ${msg.target}`, time: msg.timestamp, color: msg.color, reply: msg.target });
      case 'system':
        if (msg.event === 'joined') addUser(msg.username);
        else if (msg.event === 'left') removeUser(msg.username);
        return addLine('system', msg.message, { time: msg.timestamp });
      case 'server':
        return addLine('server', msg.message, { who: 'Server', time: msg.timestamp });
      case 'users': {
        const names = msg.users || [];
        if (!msg.room) setUsers(names, msg.user_count);
        const where = msg.room ? ` in ${msg.room}` : '';
        const paged = msg.page ? ` (page ${msg.page} of ${msg.pages}, ${msg.user_count} in all)` : ` (${names.length})`;
        const more = msg.page && msg.page < msg.pages ? ` — /${msg.room ? `names ${msg.room}` : 'who'} ${msg.page + 1} for more` : '';
        return addLine('info', `Online${where}${paged}: ${names.join(', ')}${more}`);
      }
      case 'presence':
        // A large room's joins and leaves, summarised: only the count is known, not the names.
        if ((msg.room || '').toLowerCase() === '#general') setTotal(msg.online);
        return addLine('system', msg.message, { time: msg.timestamp });
      case 'help':
        return showHelp(msg.commands || []);
      case 'pong':
        return addLine('info', 'PONG');
      case 'goodbye':
        if (/kicked/i.test(msg.message || '')) {
          state.endNotice = msg.message;
          state.reconnect = false;
        }
        return addLine('system', msg.message);
      case 'error':
        return failed(msg);
      case 'file_upload':
        return files.upload(msg);
      case 'file_refused':
        return files.refused(msg);
      case 'file':
        return files.shared(msg);
      case 'history':
        return addLine('history', `End of history of ${msg.room} (${msg.count} messages${msg.more ? '; /history N for more' : ''})`);
      case 'search':
        return addLine('history', `${msg.count} ${msg.count === 1 ? 'result' : 'results'} for "${msg.query}"`);
      case 'info':
        return addLine('info', msg.message);
      case 'room':
        applyRoom(msg);
        addLine('system', msg.message);
        if (msg.topic) addLine('info', `Topic of ${msg.room}: ${msg.topic}`);
        return addLine('info', `In ${msg.room}: ${(msg.users || []).join(', ')}${msg.user_count > (msg.users || []).length ? `, and ${msg.user_count - msg.users.length} more` : ''}`);
      case 'rooms':
        for (const r of msg.rooms || []) {
          addLine('info', `${r.name} (${r.members})${r.private ? ' private' : ''}${r.topic ? ' — ' + r.topic : ''}`);
        }
        return undefined;
      default:
        return undefined; // newer servers may send types this page does not know yet
    }
  }

  function welcomed(msg) {
    const again = state.everJoined;
    state.name = msg.username;
    if (!again) state.rooms = [GENERAL];
    state.joined = true;
    state.everJoined = true;
    state.reconnect = true;
    state.attempt = 0;
    clearTimers();
    ui.meName.textContent = msg.username;
    ui.me.hidden = false;
    ui.connectView.hidden = true;
    ui.chatView.hidden = false;
    setUsers(msg.users || [], msg.user_count);
    if (again) {
      addLine('system', `Reconnected as ${msg.username}.`);
    } else {
      addLine('system', `Welcome to Parley, ${msg.username}! Type /help for commands.`);
      ui.message.focus();
    }
    if (msg.motd) addLine('server', msg.motd, { who: 'Message of the day' });
    // A new connection is in the welcome's room only; after a reconnect the old rooms are joined again
    // before the composer opens, so nothing typed lands in the wrong room.
    beginRejoin(msg.room || GENERAL);
  }

  function ready() {
    setStatus('connected', 'Connected');
    setComposerEnabled(true);
    settleWaiters(true);
  }

  // Uploads wait for the chat to be back (joined, rooms rejoined) before their last chunk: see files.upload.
  const readyWaiters = [];

  function whenReady() {
    return state.joined && !state.rejoin ? Promise.resolve(true) : new Promise((resolve) => readyWaiters.push(resolve));
  }

  // true: back in the chat and its rooms; false: the page left the chat (or was turned away) and will not be back.
  function settleWaiters(back) {
    for (const resolve of readyWaiters.splice(0)) resolve(back);
  }

  // ---- rooms --------------------------------------------------------------------------------
  // Room membership belongs to the connection on the server, so a new connection starts in #general
  // only. The page keeps the list of rooms it is in from the server's room events (room: where it is
  // now; from: the room it left, on parted and kicked), and after a reconnect joins them again one
  // join_room at a time, so each answer (a room event or an error) says which room it is about; the
  // room it was talking in goes last, so it is current again. As parley chat does (docs/client.md).

  const GENERAL = '#general';
  const REJOIN_RETRY_MS = 1000; // after rate_limited: the server's flood control refills meanwhile

  function isGeneral(room) { return sameName(room, GENERAL); }

  function applyRoom(msg) {
    if (msg.from && !isGeneral(msg.from)) state.rooms = state.rooms.filter((r) => !sameName(r, msg.from));
    if (msg.room) {
      if (!state.rooms.some((r) => sameName(r, msg.room))) state.rooms.push(msg.room);
      state.room = msg.room;
    }
    renderRooms();
  }

  function dropRoom(room) {
    if (isGeneral(room)) return; // everyone is always in #general
    state.rooms = state.rooms.filter((r) => !sameName(r, room));
    if (sameName(state.room, room)) state.room = state.rooms[state.rooms.length - 1];
    renderRooms();
  }

  function beginRejoin(room) {
    // Every room but #general in the order joined, the current one last; nothing when only #general is left.
    const goal = state.room;
    const order = state.rooms.length > 1 ? [...state.rooms.filter((r) => !isGeneral(r) && !sameName(r, goal)), goal] : [];
    state.room = room; // where the new connection is until the joins are answered
    renderRooms();
    if (order.length === 0) {
      ready();
      return;
    }
    state.rejoin = { pending: order, done: [], goal, timer: 0 };
    setStatus('connecting', 'Rejoining your rooms…');
    setComposerEnabled(false);
    sendNextRejoin();
  }

  function sendNextRejoin() {
    if (state.rejoin && state.rejoin.pending.length > 0) send({ type: 'join_room', room: state.rejoin.pending[0] });
  }

  // The answer to the pending join_room, taken instead of shown (one line sums the rejoin up); false for anything else.
  function rejoinAnswer(msg) {
    const rejoin = state.rejoin;
    const room = rejoin.pending[0];
    if (msg.type === 'room' && (msg.event === 'joined' || msg.event === 'switched') && sameName(msg.room, room)) {
      applyRoom(msg);
      rejoin.pending.shift();
      rejoin.done.push(msg.room);
    } else if (msg.type === 'error' && msg.code === 'rate_limited') {
      // Many rooms at once can outrun the server's flood control: ask again once it has refilled.
      rejoin.timer = setTimeout(() => {
        if (state.rejoin === rejoin) sendNextRejoin();
      }, REJOIN_RETRY_MS);
      return true;
    } else if (msg.type === 'error') {
      // Refused (private and no invitation any more, too many rooms, ...): say why and carry on.
      rejoin.pending.shift();
      dropRoom(room);
      addLine('error', `Could not rejoin ${room}: ${msg.message}`);
    } else {
      return false;
    }
    if (rejoin.pending.length > 0) {
      sendNextRejoin();
    } else {
      endRejoin();
    }
    return true;
  }

  function endRejoin() {
    const rejoined = state.rejoin.done.filter((r) => !isGeneral(r));
    state.rejoin = null;
    if (rejoined.length > 0) addLine('system', `Rejoined ${rejoined.join(', ')}; talking in ${state.room}`);
    ready();
  }

  // The connection went while rejoining: the rooms not rejoined yet stay on the list for the next attempt.
  function abandonRejoin() {
    const rejoin = state.rejoin;
    if (!rejoin) return;
    clearTimeout(rejoin.timer);
    state.rejoin = null;
    const goal = state.rooms.find((r) => sameName(r, rejoin.goal));
    if (goal) state.room = goal;
    renderRooms();
  }

  function renderRooms() {
    updateSendLabel();
    ui.roomList.replaceChildren();
    for (const room of state.rooms) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'room';
      button.dataset.room = room;
      button.textContent = room;
      if (sameName(room, state.room)) {
        button.classList.add('current');
        button.setAttribute('aria-current', 'true');
        button.title = `Talking in ${room}`;
      } else {
        button.title = `Talk in ${room}`;
        // The server answers with a room event (switched), which moves the mark.
        button.addEventListener('click', () => {
          if (state.joined && !state.rejoin) send({ type: 'join_room', room });
        });
      }
      li.append(button);
      ui.roomList.append(li);
    }
  }

  function failed(msg) {
    if (state.joined) {
      addLine('error', msg.message);
      return;
    }
    switch (msg.code) {
      case 'username_taken':
      case 'invalid_username':
        if (state.everJoined) {
          // Our old session may not have timed out yet: keep trying with the same name.
          setStatus('disconnected', msg.message);
          state.ws.close(1000, 'retry later');
          return;
        }
        setStatus('idle', 'Not connected');
        // Keep the socket: the server lets us try another name on it.
        showConnect(msg.message.replace(/\. Please enter another username:?$/, '.') + ' Choose another name.', 'error');
        ui.username.focus();
        ui.username.select();
        return;
      case 'join_rejected':
        state.endNotice = msg.message;
        state.reconnect = false;
        return;
      case 'server_full':
      case 'login_timeout':
        if (!state.everJoined) showConnect(msg.message, 'error');
        return;
      default:
        if (!state.everJoined) showConnect(msg.message, 'error');
    }
  }

  // ---- history ------------------------------------------------------------------------------

  function pad(n) { return String(n).padStart(2, '0'); }

  function clock(iso) {
    const d = iso ? new Date(iso) : new Date();
    const t = Number.isNaN(d.getTime()) ? new Date() : d;
    return {
      text: `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`,
      date: `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`,
      iso: t.toISOString(),
    };
  }

  function isAtBottom() {
    const el = ui.messages;
    return el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  }

  function joinRequest(name) {
    const request = { type: 'join', username: name };
    if (ui.password.value) request.password = ui.password.value;
    return request;
  }

  function addLine(kind, text, opts = {}) {
    const follow = isAtBottom();
    const li = document.createElement('li');
    li.className = `msg k-${kind}`;
    const time = document.createElement('time');
    const stamp = clock(opts.time);
    time.dateTime = stamp.iso;
    time.textContent = opts.dated ? `${stamp.date} ${stamp.text}` : stamp.text;
    li.append(time);
    if (opts.who) {
      const who = document.createElement(opts.reply ? 'button' : 'span');
      who.className = 'who';
      who.textContent = opts.who;
      if (opts.reply) {
        who.type = 'button';
        who.title = `Reply privately to ${opts.reply}`;
        who.addEventListener('click', () => startPrivate(opts.reply));
      }
      li.append(who);
    }
    const body = document.createElement('span');
    body.className = 'text';
    if (opts.color && COLORS.has(opts.color)) body.classList.add(`c-${opts.color}`);
    body.textContent = text;
    li.append(body);
    ui.messages.append(li);
    while (ui.messages.childElementCount > MAX_HISTORY) ui.messages.firstElementChild.remove();
    if (follow) {
      ui.messages.scrollTop = ui.messages.scrollHeight;
    } else {
      state.unseen++;
      ui.jump.textContent = `${state.unseen} new message${state.unseen === 1 ? '' : 's'} ↓`;
      ui.jump.hidden = false;
    }
    return li;
  }

  function showHelp(commands) {
    addLine('info', 'Commands:');
    for (const c of commands) addLine('info', `${c.usage} — ${c.description}`);
    addLine('info', '/clear — clear this window (this page only)');
    addLine('info', 'Anything else you type goes to everyone, or privately when "Private" is chosen.');
  }

  ui.messages.addEventListener('scroll', () => {
    if (isAtBottom()) {
      state.unseen = 0;
      ui.jump.hidden = true;
    }
  });
  ui.jump.addEventListener('click', () => {
    ui.messages.scrollTop = ui.messages.scrollHeight;
    ui.message.focus();
  });

  // ---- users --------------------------------------------------------------------------------

  function sameName(a, b) { return (a || '').toLowerCase() === (b || '').toLowerCase(); }

  // In a large room the server sends a page of names and the total (user_count); the list shows the page.
  function setUsers(names, total) {
    state.users = [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
    state.total = typeof total === 'number' ? total : null;
    renderUsers();
  }

  function setTotal(total) {
    if (typeof total !== 'number') return;
    state.total = total;
    renderUsers();
  }

  function addUser(name) {
    if (!state.users.some((u) => sameName(u, name))) setUsers([...state.users, name], state.total === null ? null : state.total + 1);
  }

  function removeUser(name) {
    setUsers(state.users.filter((u) => !sameName(u, name)), state.total === null ? null : state.total - 1);
  }

  function renderUsers() {
    ui.userList.replaceChildren();
    ui.userOptions.replaceChildren();
    for (const name of state.users) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'user';
      button.dataset.name = name;
      const label = document.createElement('span');
      label.textContent = name;
      button.append(label);
      if (sameName(name, state.name)) {
        button.classList.add('self');
        button.disabled = true;
        const you = document.createElement('span');
        you.className = 'you';
        you.textContent = '(you)';
        button.append(you);
      } else {
        button.setAttribute('aria-label', `Send a private message to ${name}`);
        button.addEventListener('click', () => startPrivate(name));
        const option = document.createElement('option');
        option.value = name;
        ui.userOptions.append(option);
      }
      li.append(button);
      ui.userList.append(li);
    }
    const total = state.total === null || state.total === undefined ? state.users.length : Math.max(state.total, state.users.length);
    if (total > state.users.length) {
      const li = document.createElement('li');
      li.className = 'more';
      li.textContent = `and ${total - state.users.length} more (/who 2)`;
      ui.userList.append(li);
    }
    const count = String(total);
    ui.userCount.textContent = count;
    ui.countBadge.textContent = count;
  }

  function startPrivate(name) {
    ui.modePrivate.checked = true;
    ui.to.value = name;
    modeChanged();
    setUsersOpen(false);
    ui.message.focus();
  }

  function setUsersOpen(open) {
    ui.users.classList.toggle('open', open);
    ui.usersToggle.setAttribute('aria-expanded', String(open));
  }

  ui.usersToggle.addEventListener('click', () => setUsersOpen(!ui.users.classList.contains('open')));

  // ---- composing ----------------------------------------------------------------------------

  function modeChanged() {
    const isPrivate = ui.modePrivate.checked;
    ui.toField.hidden = !isPrivate;
    updateSendLabel();
  }

  function updateSendLabel() {
    const text = ui.message.value;
    const target = ui.to.value.trim();
    let label;
    if (text.startsWith('/') && !text.startsWith('//')) {
      label = 'Run command';
    } else if (ui.modePrivate.checked) {
      label = target ? `Send to ${target}` : 'Send privately';
    } else {
      label = `Send to ${publicAudience()}`;
    }
    ui.send.textContent = label;
    ui.message.placeholder = ui.modePrivate.checked
      ? (target ? `Private message to ${target}` : 'Choose who to send to, then type')
      : `Message ${publicAudience()}`;
  }

  // Who a public message reaches: everyone in #general, the room's members elsewhere.
  function publicAudience() {
    return !state.room || isGeneral(state.room) ? 'everyone' : state.room;
  }

  function setComposerEnabled(enabled) {
    ui.send.disabled = !enabled;
    ui.composer.classList.toggle('offline', !enabled);
  }

  function submit() {
    const text = ui.message.value;
    if (!text.trim()) return;
    if (!state.joined) {
      addLine('error', 'Not connected: the message was not sent.');
      return;
    }
    if (state.rejoin) {
      addLine('error', 'Still rejoining your rooms: the message was not sent yet.');
      return;
    }
    let request;
    // As in the console client, '//text' sends '/text' as an ordinary message.
    const content = text.startsWith('//') ? text.slice(1) : text;
    if (text.startsWith('/') && !text.startsWith('//')) {
      const command = text.slice(1).split(/\s+/, 1)[0].toLowerCase();
      if (command === 'clear') {
        ui.messages.replaceChildren();
        ui.message.value = '';
        updateSendLabel();
        return;
      }
      if (['quit', 'exit', 'q', 'leave'].includes(command)) {
        ui.message.value = '';
        leave();
        return;
      }
      request = { type: 'command', line: text };
    } else if (ui.modePrivate.checked) {
      const target = ui.to.value.trim();
      if (!target) {
        addLine('error', 'Choose who to send the private message to (the To field, or a name in the list).');
        ui.to.focus();
        return;
      }
      request = { type: 'private_message', target, content };
    } else {
      request = { type: 'message', content };
    }
    if (new TextEncoder().encode(JSON.stringify(request)).length > MAX_MESSAGE_BYTES) {
      addLine('error', `That message is too long (the limit is ${MAX_MESSAGE_BYTES / 1024} KiB).`);
      return;
    }
    if (send(request)) {
      ui.message.value = '';
      updateSendLabel();
    }
  }

  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  ui.modePublic.addEventListener('change', modeChanged);
  ui.modePrivate.addEventListener('change', () => {
    modeChanged();
    (ui.to.value.trim() ? ui.message : ui.to).focus();
  });
  ui.to.addEventListener('input', updateSendLabel);
  ui.message.addEventListener('input', updateSendLabel);
  ui.message.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && ui.modePrivate.checked) {
      ui.modePublic.checked = true;
      modeChanged();
    }
  });
  ui.to.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      ui.message.focus();
    }
  });

  // ---- files ---------------------------------------------------------------------------------
  // A file is offered on the socket; the server answers (in order) with an upload slot or a refusal,
  // and the bytes go by HTTP PUT in chunks to that slot, each at the offset the server confirmed, so a
  // dropped request resumes instead of starting over. The file is announced to everyone (us included)
  // only once the server has it all.

  const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

  function formatSize(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
  }

  const files = {
    pending: [], // offers waiting for the server's answer, oldest first

    offer(list) {
      if (!state.joined || state.rejoin) {
        addLine('error', 'Not connected: files cannot be sent now.');
        return;
      }
      const target = ui.modePrivate.checked ? ui.to.value.trim() : '';
      if (ui.modePrivate.checked && !target) {
        addLine('error', 'Choose who to send the file to (the To field, or a name in the list).');
        return;
      }
      for (const file of list) {
        const request = { type: 'file_offer', name: file.name, size: file.size };
        // The room is named rather than left to the server, so the file goes where the page was
        // talking when it was picked.
        if (target) request.target = target;
        else request.room = state.room;
        if (send(request)) files.pending.push(file);
      }
    },

    refused(msg) {
      files.pending.shift();
      addLine('error', `Not sent: ${msg.message}`);
    },

    async upload(msg) {
      const file = files.pending.shift();
      if (!file) return;
      // Stored content shared at once (only for offers with a sha256, which this page does not send:
      // docs/protocol.md, Files): the file event follows and there is nothing to upload.
      if (msg.complete) return;
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = `${msg.name} (${formatSize(msg.size)})`;
      const bar = document.createElement('progress');
      bar.max = Math.max(file.size, 1);
      bar.value = 0;
      bar.setAttribute('aria-label', `Uploading ${msg.name}`);
      li.append(label, bar);
      ui.uploads.append(li);
      const chunk = msg.chunk_size > 0 ? msg.chunk_size : 1024 * 1024;
      let offset = 0;
      let failures = 0;
      try {
        for (;;) {
          let reply;
          let status;
          // The last chunk makes the share, which the server does only while we are in the chat and in the
          // room the file was offered in (otherwise 410). The bytes go over HTTP, beside the WebSocket, so an
          // upload goes on through a reconnect; its last chunk waits until the rooms are rejoined.
          if (offset + chunk >= file.size && !(await whenReady())) throw new Error('you left the chat');
          try {
            const response = await fetch(`${msg.upload_path}&offset=${offset}`, { method: 'PUT', body: file.slice(offset, offset + chunk) });
            status = response.status;
            reply = await response.json();
          } catch {
            if (++failures > 5) throw new Error('the connection to the server keeps failing');
            const response = await fetch(msg.upload_path);
            if (!response.ok) throw new Error('the upload is gone');
            offset = (await response.json()).offset;
            continue;
          }
          if (status === 409 && ++failures <= 5) { offset = reply.offset; continue; }
          if (status !== 200) throw new Error(reply.message || `the server answered ${status}`);
          failures = 0;
          offset = reply.offset;
          bar.value = offset;
          if (reply.complete) break;
        }
      } catch (err) {
        addLine('error', `Upload of ${msg.name} failed: ${err.message}`);
      } finally {
        li.remove();
      }
    },

    shared(msg) {
      const own = sameName(msg.sender, state.name);
      const size = formatSize(msg.size);
      let li;
      if (msg.private) {
        li = own
          ? addLine('pm-out', `sent ${msg.name} (${size})`, { who: `PM to ${msg.target}`, time: msg.timestamp, reply: msg.target })
          : addLine('pm-in', `sent you ${msg.name} (${size})`, { who: `PM from ${msg.sender}`, time: msg.timestamp, reply: msg.sender });
      } else {
        // Named like a message: the room goes before the sender unless it is #general.
        const room = msg.room && msg.room.toLowerCase() !== '#general' ? `${msg.room} ` : '';
        li = addLine('file', `shared ${msg.name} (${size})`, { who: room + msg.sender, time: msg.timestamp });
      }
      // The link is the relative one: this page's origin is the web port, whatever --public-url says.
      const link = document.createElement('a');
      link.className = 'file-link';
      link.href = msg.path;
      link.download = msg.name;
      link.textContent = `Download ${msg.name}`;
      li.querySelector('.text').append(' ', link);
      if (IMAGE.test(msg.name)) {
        const img = document.createElement('img');
        img.className = 'thumb';
        img.src = msg.path;
        img.alt = `Preview of ${msg.name}`;
        link.after(img);
      }
    },
  };

  ui.attach.addEventListener('click', () => ui.fileInput.click());
  ui.fileInput.addEventListener('change', () => {
    files.offer([...ui.fileInput.files]);
    ui.fileInput.value = '';
  });
  const dropZone = ui.messages.closest('.conversation');
  dropZone.addEventListener('dragover', (event) => {
    if (!event.dataTransfer || ![...event.dataTransfer.types].includes('Files')) return;
    event.preventDefault();
    dropZone.classList.add('dropping');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dropping'));
  dropZone.addEventListener('drop', (event) => {
    dropZone.classList.remove('dropping');
    if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    files.offer([...event.dataTransfer.files]);
  });

  // ---- connect panel and status -------------------------------------------------------------

  function setStatus(kind, text) {
    ui.status.dataset.state = kind;
    ui.statusText.textContent = text;
  }

  function showConnect(message, tone) {
    ui.chatView.hidden = true;
    ui.me.hidden = true;
    ui.connectView.hidden = false;
    if (message) {
      ui.connectMessage.textContent = message;
      ui.connectMessage.dataset.tone = tone || 'info';
      ui.connectMessage.hidden = false;
    } else {
      ui.connectMessage.hidden = true;
    }
    ui.join.disabled = false;
  }

  ui.searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = ui.search.value.trim();
    // Not while rejoining: an error answer would be taken for a rejoin's.
    if (query && state.joined && !state.rejoin) send({ type: 'search', query });
  });

  ui.connectForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = ui.username.value.trim();
    if (!NAME_RULE.test(name)) {
      showConnect(name ? 'A username may only use letters, digits, _ - and . (at most 32).' : 'Enter a username.', 'error');
      ui.username.focus();
      return;
    }
    state.name = name;
    state.everJoined = false;
    state.reconnect = false;
    ui.messages.replaceChildren();
    if (state.ws && state.ws.readyState === WebSocket.OPEN && !state.joined) {
      // Still connected after a refused name: try the new one on the same connection.
      send(joinRequest(name));
    } else {
      connect();
    }
    ui.connectMessage.hidden = true;
  });

  ui.leave.addEventListener('click', leave);
  ui.retryNow.addEventListener('click', () => {
    state.attempt = 0;
    connect();
  });

  // Leaving the page leaves the chat cleanly instead of letting the server find a dead socket.
  window.addEventListener('pagehide', () => {
    state.reconnect = false;
    if (state.ws) {
      send({ type: 'quit' });
      state.ws.close(1000, 'page closed');
    }
  });

  ui.origin.textContent = location.host;
  modeChanged();
  setComposerEnabled(false);
  ui.username.focus();
})();
