// The page: a session list, the selected session's live run, and the controls that drive it.

import { adoptToken, api, ApiError, EventStream, forgetToken, setToken } from './api.js';
import { byId, clear, el, show, visibleLine, visibleLines } from './dom.js';
import { renderHistory, Timeline } from './timeline.js';

const ui = {
  login: byId('login'),
  loginForm: byId('login-form'),
  loginError: byId('login-error'),
  tokenInput: byId('token-input'),
  app: byId('app'),
  agentName: byId('agent-name'),
  connection: byId('connection'),
  newSessionForm: byId('new-session-form'),
  newSessionId: byId('new-session-id'),
  sessionList: byId('session-list'),
  sessionsEmpty: byId('sessions-empty'),
  sessionTitle: byId('session-title'),
  runState: byId('run-state'),
  abortButton: byId('abort-button'),
  resetButton: byId('reset-button'),
  deleteButton: byId('delete-button'),
  notice: byId('notice'),
  history: byId('history'),
  historySummary: byId('history-summary'),
  historyList: byId('history-list'),
  timeline: byId('timeline'),
  streaming: byId('streaming'),
  streamingText: byId('streaming-text'),
  permission: byId('permission'),
  permissionTool: byId('permission-tool'),
  permissionDescription: byId('permission-description'),
  permissionSize: byId('permission-size'),
  approveButton: byId('approve-button'),
  denyButton: byId('deny-button'),
  question: byId('question'),
  questionText: byId('question-text'),
  answerForm: byId('answer-form'),
  answerInput: byId('answer-input'),
  taskForm: byId('task-form'),
  taskLabel: byId('task-label'),
  taskInput: byId('task-input'),
  taskButton: byId('task-button'),
  taskHint: byId('task-hint'),
};

const state = {
  selected: null,
  running: false,
  pending: null,
  stream: null,
  streamed: '',
};

const timeline = new Timeline(ui.timeline);

function notify(text) {
  ui.notice.textContent = visibleLines(text);
  show(ui.notice, Boolean(text));
}

/** Runs an API call; a refused token sends the user back to the login form. */
async function attempt(action) {
  try {
    return await action();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      forgetToken();
      showLogin('The token was refused. Paste the one the server printed.');
    } else {
      notify(e.message);
    }
    return undefined;
  }
}

function showLogin(message) {
  show(ui.app, false);
  show(ui.login, true);
  ui.loginError.textContent = message || '';
  ui.tokenInput.focus();
}

async function showApp() {
  const agent = await attempt(() => api.agent());
  if (!agent) return;
  show(ui.login, false);
  show(ui.app, true);
  ui.agentName.textContent = '· ' + visibleLine(agent.name);
  document.title = 'CodePilot · ' + visibleLine(agent.name);
  await refreshSessions();
}

async function refreshSessions() {
  const data = await attempt(() => api.sessions());
  if (!data) return;
  clear(ui.sessionList);
  for (const session of data.sessions) {
    const current = session.id === state.selected;
    const badge = session.running ? 'running' : session.message_count + ' messages';
    ui.sessionList.append(el('li', {},
        el('button', {
          type: 'button',
          class: 'session' + (current ? ' current' : ''),
          'aria-current': current ? 'true' : false,
          'data-session': session.id,
          onclick: () => select(session.id),
        }, el('span', { class: 'session-id' }, session.id), el('span', { class: 'badge' }, badge))));
  }
  show(ui.sessionsEmpty, data.sessions.length === 0);
}

async function select(id) {
  if (state.stream) state.stream.close();
  state.selected = id;
  state.stream = null;
  notify('');
  timeline.clear();
  resetStreaming();
  ui.sessionTitle.textContent = id;
  await refreshSessions();
  await loadHistory();
  await refreshStatus();
  state.stream = new EventStream(id, {
    onMessage: onEvent,
    onState: text => { ui.connection.textContent = text; },
  });
  ui.taskInput.focus();
}

async function loadHistory() {
  const id = state.selected;
  const data = await attempt(() => api.messages(id));
  if (!data || id !== state.selected) return;
  renderHistory(ui.historyList, data.messages);
  ui.historySummary.textContent = 'Conversation history (' + data.messages.length + ' messages)';
  show(ui.history, data.messages.length > 0);
}

async function refreshStatus() {
  const id = state.selected;
  if (!id) return;
  const status = await attempt(() => api.status(id));
  if (!status || id !== state.selected) return;
  setRunning(status.running);
  setPending(status.pending);
}

function setRunning(running) {
  state.running = running;
  ui.runState.textContent = running ? 'running' : 'idle';
  ui.runState.className = 'run-state ' + (running ? 'running' : 'idle');
  ui.abortButton.disabled = !running;
  ui.resetButton.disabled = running;
  ui.deleteButton.disabled = running;
  ui.taskInput.disabled = false;
  ui.taskButton.disabled = false;
  ui.taskLabel.textContent = running ? 'Message to the running agent' : 'Task';
  ui.taskButton.textContent = running ? 'Send message' : 'Run';
  ui.taskHint.textContent = running
      ? 'It reaches the agent at its next step.'
      : 'Ctrl+Enter runs it.';
  if (!running) resetStreaming();
}

function setPending(pending) {
  state.pending = pending;
  const permission = pending && pending.kind === 'permission';
  const question = pending && pending.kind === 'question';
  show(ui.permission, Boolean(permission));
  show(ui.question, Boolean(question));
  if (permission) {
    ui.permissionTool.textContent = visibleLine(pending.tool);
    showRequest(pending.description);
    ui.approveButton.disabled = false;
    ui.denyButton.disabled = false;
    ui.approveButton.focus();
  }
  if (question) {
    ui.questionText.textContent = visibleLines(pending.question);
    ui.answerInput.value = '';
    ui.answerInput.focus();
  }
}

/**
 * Shows what a permission request asks for, whole and on one line with every control and
 * invisible character as a visible sign, and says how long it is, so that nothing in it can pass
 * unseen: not a start pushed away by blank lines, nor text reordered by a bidi override.
 */
function showRequest(description) {
  const text = String(description ?? '');
  ui.permissionDescription.textContent = visibleLine(text);
  ui.permissionDescription.scrollTop = 0;
  const breaks = (text.match(/\r\n|[\n\r\u2028\u2029]/g) || []).length;
  const parts = [];
  if (breaks > 0) parts.push((breaks + 1) + ' lines');
  parts.push(Array.from(text).length.toLocaleString('en') + ' characters');
  const scrolls = ui.permissionDescription.scrollHeight > ui.permissionDescription.clientHeight;
  ui.permissionSize.textContent = '(' + parts.join(', ')
      + (scrolls ? '; scroll the box to read all of it' : '') + '):';
}

function resetStreaming() {
  state.streamed = '';
  ui.streamingText.textContent = '';
  show(ui.streaming, false);
}

function onEvent(message) {
  if (message.event === 'connected') {
    // The server replays the run in progress, if any, from its start.
    timeline.clear();
    resetStreaming();
    setRunning(message.running);
    if (!message.running) setPending(null);
    return;
  }
  if (message.event === 'model_text') {
    show(ui.streaming, true);
    state.streamed += message.text;
    ui.streamingText.textContent = visibleLines(state.streamed);
    return;
  }
  if (message.event === 'step' || message.event === 'start') resetStreaming();
  timeline.render(message);
  switch (message.event) {
    case 'start':
      setRunning(true);
      refreshSessions();
      break;
    case 'permission_request':
    case 'ask_user':
      refreshStatus();
      break;
    case 'permission_resolved':
    case 'question_answered':
      setPending(null);
      break;
    case 'run_end':
      setRunning(false);
      setPending(null);
      refreshSessions();
      break;
    case 'session_reset':
      loadHistory();
      break;
    case 'events_dropped':
      refreshStatus();
      break;
    default:
      break;
  }
}

async function submitTask(event) {
  event.preventDefault();
  const id = state.selected;
  const text = ui.taskInput.value.trim();
  if (!id || !text) return;
  notify('');
  const done = state.running
      ? await attempt(() => api.send(id, text))
      : await attempt(() => api.run(id, text));
  if (done) {
    ui.taskInput.value = '';
    if (!state.running) setRunning(true);
  }
}

ui.taskForm.addEventListener('submit', submitTask);
ui.taskInput.addEventListener('keydown', event => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submitTask(event);
});

ui.newSessionForm.addEventListener('submit', async event => {
  event.preventDefault();
  const created = await attempt(() => api.create(ui.newSessionId.value.trim() || null));
  if (created) {
    ui.newSessionId.value = '';
    await select(created.id);
  }
});

ui.approveButton.addEventListener('click', () => decide(true));
ui.denyButton.addEventListener('click', () => decide(false));

async function decide(approve) {
  const id = state.selected;
  const requestId = state.pending ? state.pending.id : null;
  ui.approveButton.disabled = true;
  ui.denyButton.disabled = true;
  const done = await attempt(() => api.permission(id, approve, requestId));
  if (done) {
    setPending(null);
    ui.taskInput.focus();
  } else {
    refreshStatus();
  }
}

ui.answerForm.addEventListener('submit', async event => {
  event.preventDefault();
  const id = state.selected;
  const requestId = state.pending ? state.pending.id : null;
  const done = await attempt(() => api.answer(id, ui.answerInput.value, requestId));
  if (done) {
    setPending(null);
    ui.taskInput.focus();
  } else {
    refreshStatus();
  }
});

ui.abortButton.addEventListener('click', async () => {
  await attempt(() => api.abort(state.selected));
});

ui.resetButton.addEventListener('click', async () => {
  if (!window.confirm('Reset session "' + state.selected + '"? Its history is deleted.')) return;
  if ((await attempt(() => api.reset(state.selected))) !== undefined) await loadHistory();
});

ui.deleteButton.addEventListener('click', async () => {
  const id = state.selected;
  if (!window.confirm('Delete session "' + id + '" and its saved history?')) return;
  if ((await attempt(() => api.remove(id))) === undefined) return;
  if (state.stream) state.stream.close();
  state.selected = null;
  state.stream = null;
  ui.sessionTitle.textContent = 'No session selected';
  ui.runState.textContent = '';
  timeline.clear();
  show(ui.history, false);
  setPending(null);
  for (const button of [ui.abortButton, ui.resetButton, ui.deleteButton, ui.taskButton]) {
    button.disabled = true;
  }
  ui.taskInput.disabled = true;
  await refreshSessions();
});

ui.loginForm.addEventListener('submit', event => {
  event.preventDefault();
  setToken(ui.tokenInput.value.trim());
  ui.tokenInput.value = '';
  showApp();
});

if (adoptToken()) {
  showApp();
} else {
  showLogin();
}
