// Renders a session: the saved conversation, and the live run event by event. Every string
// from the server goes through el() as text, after visibleLines() or visibleLine() have made
// its controls and invisible characters visible.

import { append, clear, el, visibleLine, visibleLines } from './dom.js';

const OUTCOMES = {
  finished: 'Finished',
  max_steps: 'Stopped: step limit reached',
  aborted: 'Aborted',
  failed: 'Failed',
};

function formatArgs(args) {
  if (!args || typeof args !== 'object') return '';
  return Object.entries(args)
      .map(([name, value]) => name + '=' + JSON.stringify(value))
      .join(', ');
}

function shorten(text, limit) {
  return text.length > limit ? text.slice(0, limit) + '…' : text;
}

/** The live run: one list item per event, tool results folded under their calls. */
export class Timeline {
  constructor(list) {
    this.list = list;
    this.openCalls = [];
  }

  clear() {
    clear(this.list);
    this.openCalls = [];
  }

  add(item) {
    this.list.append(item);
    item.scrollIntoView({ block: 'nearest' });
    return item;
  }

  /** A sub-agent's event: one line under the call that runs it, naming the agent. */
  renderSubAgent(message) {
    const texts = {
      step: () => 'step ' + message.step + ' of ' + message.max_steps,
      think: () => visibleLine(message.message),
      tool_call: () => visibleLine(message.tool + '(' + shorten(formatArgs(message.args), 120)
          + ')'),
      permission_request: () => 'asks permission: ' + visibleLine(message.description),
      ask_user: () => 'asks: ' + visibleLine(message.question),
      security_error: () => 'security error: ' + visibleLine(message.error),
      runtime_error: () => 'error: ' + visibleLine(message.error),
      finish: () => 'done: ' + visibleLine(message.summary),
      max_steps: () => 'stopped at its step limit',
    };
    const text = texts[message.event];
    if (!text) return false;
    this.add(el('li', { class: 'item subagent ' + message.event },
        el('span', { class: 'label' }, visibleLine(message.agent)),
        el('span', { class: 'text' }, text())));
    return true;
  }

  note(text, kind = 'note') {
    return this.add(el('li', { class: 'item ' + kind }, text));
  }

  /** Shows one event; returns false for messages it does not draw (model_text). */
  render(message) {
    if (message.agent) return this.renderSubAgent(message);
    switch (message.event) {
      case 'start':
        this.openCalls = [];
        this.add(el('li', { class: 'item start' }, el('span', { class: 'label' }, 'Task'),
            el('span', { class: 'text' }, visibleLines(message.task))));
        return true;
      case 'step':
        this.add(el('li', { class: 'item step' }, 'Step ' + message.step + ' of '
            + message.max_steps));
        return true;
      case 'think':
        this.add(el('li', { class: 'item think' }, el('span', { class: 'label' }, 'Thinking'),
            el('span', { class: 'text' }, visibleLines(message.message))));
        return true;
      case 'tool_call': {
        const result = el('pre', { class: 'result pending' }, 'running…');
        const details = el('details', { class: 'tool' },
            el('summary', {}, el('code', {}, visibleLine(message.tool + '('
                + shorten(formatArgs(message.args), 200) + ')'))),
            result);
        this.openCalls.push({ tool: message.tool, result, details });
        this.add(el('li', { class: 'item call' }, details));
        return true;
      }
      case 'tool_result': {
        const index = this.openCalls.findIndex(call => call.tool === message.tool);
        if (index >= 0) {
          const call = this.openCalls.splice(index, 1)[0];
          call.result.classList.remove('pending');
          call.result.textContent = visibleLines(message.result);
          if (/permission denied/i.test(message.result)) call.details.classList.add('denied');
        } else {
          this.add(el('li', { class: 'item call' }, el('details', { class: 'tool' },
              el('summary', {}, el('code', {}, visibleLine(message.tool)), ' result'),
              el('pre', { class: 'result' }, visibleLines(message.result)))));
        }
        return true;
      }
      case 'ask_user':
        this.add(el('li', { class: 'item ask' }, el('span', { class: 'label' }, 'Question'),
            el('span', { class: 'text' }, visibleLines(message.question))));
        return true;
      case 'question_answered':
        this.note(message.by === 'user'
            ? 'Answered: ' + (message.answer === '' ? '(empty)' : visibleLine(message.answer))
            : 'No answer (' + message.by + '): the agent got an empty answer', 'resolution');
        return true;
      case 'permission_request':
        this.add(el('li', { class: 'item permission' }, el('span', { class: 'label' }, 'Permission'),
            el('span', { class: 'text' }, visibleLine(message.tool + ': ' + message.description))));
        return true;
      case 'permission_resolved':
        this.note((message.approved ? 'Approved' : 'Denied')
            + (message.by === 'user' ? '' : ' (' + message.by + ')'), 'resolution');
        return true;
      case 'security_error':
        this.add(el('li', { class: 'item security-error', role: 'alert' },
            el('span', { class: 'label' }, 'Security error'),
            el('pre', { class: 'text' }, visibleLines(message.error))));
        return true;
      case 'runtime_error':
        this.add(el('li', { class: 'item runtime-error', role: 'alert' },
            el('span', { class: 'label' }, 'Error'),
            el('pre', { class: 'text' }, visibleLines(message.error))));
        return true;
      case 'finish':
        this.add(el('li', { class: 'item finish' }, el('span', { class: 'label' }, 'Done'),
            el('span', { class: 'text summary' }, visibleLines(message.summary))));
        return true;
      case 'max_steps':
        this.note('The run reached its step limit.', 'runtime-error');
        return true;
      case 'user_message_queued':
        this.add(el('li', { class: 'item message' }, el('span', { class: 'label' }, 'You'),
            el('span', { class: 'text' }, visibleLines(message.message)),
            el('span', { class: 'hint' }, ' (queued)')));
        return true;
      case 'user_message_injected':
        this.note('Your message reached the agent.', 'resolution');
        return true;
      case 'context_condensed':
        this.note('Older steps were summarized to keep the request small (~' + message.before_tokens
            + ' → ~' + message.after_tokens + ' tokens); every result stays in `results`.');
        return true;
      case 'session_reset':
        this.clear();
        this.note('The session was reset: history and Python state are gone.');
        return true;
      case 'run_end': {
        const label = OUTCOMES[message.outcome] || message.outcome;
        const detail = message.error ? ': ' + visibleLines(message.error) : '';
        this.add(el('li', { class: 'item run-end ' + message.outcome },
            label + detail + ' — ' + message.steps + (message.steps === 1 ? ' step' : ' steps')));
        return true;
      }
      case 'events_dropped':
        this.note(message.count + ' events could not be shown here (the connection was too slow).',
            'runtime-error');
        return true;
      default:
        return false;
    }
  }
}

/** The saved conversation, one entry per message, long ones folded. */
export function renderHistory(list, messages) {
  clear(list);
  for (const message of messages) {
    const content = visibleLines(message.content);
    let label;
    let body = content;
    let folded = false;
    if (message.role === 'assistant') {
      label = 'Model';
      folded = true;
    } else if (content.startsWith('[USER INPUT]\n')) {
      label = 'Task';
      body = content.slice('[USER INPUT]\n'.length);
    } else if (content.startsWith('[EXECUTION RESULT]\n')) {
      label = 'Result';
      body = content.slice('[EXECUTION RESULT]\n'.length);
      folded = true;
    } else if (content.startsWith('[USER MESSAGE]\n')) {
      label = 'You';
      body = content.slice('[USER MESSAGE]\n'.length);
    } else {
      label = 'User';
    }
    const item = el('li', { class: 'entry ' + label.toLowerCase() });
    if (folded) {
      append(item, el('details', {}, el('summary', {}, el('span', { class: 'label' }, label),
          ' ', shorten(body.split('\n')[0], 120)), el('pre', {}, body)));
    } else {
      append(item, el('span', { class: 'label' }, label), ' ', el('span', { class: 'text' }, body));
    }
    list.append(item);
  }
}
