// Talks to the server: the HTTP API with the bearer token, and a session's event stream over a
// WebSocket opened with a one-time ticket (browsers cannot put headers on a WebSocket).

const TOKEN_KEY = 'codepilot-token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Takes ?token= off the address (keeping it in this tab only), else reads the kept one. */
export function adoptToken() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function call(method, path, body) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    const message = data && typeof data.error === 'string' ? data.error : response.statusText;
    throw new ApiError(response.status, message);
  }
  return data;
}

const session = id => '/api/sessions/' + encodeURIComponent(id);

export const api = {
  agent: () => call('GET', '/api/agent'),
  sessions: () => call('GET', '/api/sessions'),
  create: id => call('POST', '/api/sessions', id ? { id } : {}),
  status: id => call('GET', session(id)),
  remove: id => call('DELETE', session(id)),
  run: (id, task) => call('POST', session(id) + '/runs', { task }),
  messages: id => call('GET', session(id) + '/messages'),
  send: (id, message) => call('POST', session(id) + '/messages', { message }),
  answer: (id, answer, requestId) =>
    call('POST', session(id) + '/answer', { answer, id: requestId ?? null }),
  permission: (id, approve, requestId) =>
    call('POST', session(id) + '/permission', { approve, id: requestId ?? null }),
  abort: id => call('POST', session(id) + '/abort'),
  reset: id => call('POST', session(id) + '/reset'),
  ticket: id => call('POST', session(id) + '/tickets'),
};

/**
 * Keeps a WebSocket open on one session's events, reconnecting with a fresh ticket when it
 * drops, until close() is called. Each connection starts with a 'connected' message, then the
 * replay of the run in progress, if any.
 */
export class EventStream {
  constructor(sessionId, { onMessage, onState }) {
    this.sessionId = sessionId;
    this.onMessage = onMessage;
    this.onState = onState;
    this.closed = false;
    this.retry = 0;
    this.connect();
  }

  async connect() {
    if (this.closed) return;
    this.onState('connecting…');
    let ticket;
    try {
      ticket = (await api.ticket(this.sessionId)).ticket;
    } catch (e) {
      this.onState(e.status === 401 ? 'token refused' : 'offline');
      if (e.status !== 401) this.later();
      return;
    }
    if (this.closed) return;
    const scheme = window.location.protocol === 'https:' ? 'wss://' : 'ws://';
    const socket = new WebSocket(scheme + window.location.host + '/api/sessions/'
        + encodeURIComponent(this.sessionId) + '/events?ticket=' + encodeURIComponent(ticket));
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retry = 0;
    });
    socket.addEventListener('message', event => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (message.event === 'connected') this.onState('live');
      this.onMessage(message);
    });
    socket.addEventListener('close', event => {
      if (this.socket !== socket || this.closed) return;
      if (event.code === 1000 && event.reason === 'session deleted') {
        this.onState('session deleted');
        return;
      }
      this.onState('reconnecting…');
      this.later();
    });
  }

  later() {
    const delay = Math.min(10000, 500 * 2 ** this.retry++);
    setTimeout(() => this.connect(), delay);
  }

  close() {
    this.closed = true;
    if (this.socket) this.socket.close(1000, 'done');
  }
}
