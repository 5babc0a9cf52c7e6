// Builds DOM nodes. Text is only ever set as text (never parsed as HTML), so nothing an
// agent, a model or a tool says can become markup in this page.

/**
 * el('p', {class: 'x'}, 'text', childNode) — attributes are set with setAttribute; strings and
 * numbers among the children become text nodes; null and false children are skipped.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, ...children);
  return node;
}

export function append(node, ...children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
}

export function byId(id) {
  return document.getElementById(id);
}

export function show(node, visible) {
  node.hidden = !visible;
}

// What a model, a tool or a stored session wrote is shown, never obeyed or hidden: the same rules
// as the terminal's (dev.codepilot.internal.TerminalText). Controls, bidi overrides that would
// reorder the text, zero-width and other invisible characters, and line or paragraph separators
// are shown as visible signs.
const HIDDEN = /^(?:[\u0000-\u001f\u007f-\u009f\u2028\u2029\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0\u180b-\u180f\u2060-\u206f\ufff0-\ufff8\u{e0000}-\u{e00ff}]|\p{Cf}|\p{Cs})$/u;
const RUN = 8;

export function isHidden(char) {
  return HIDDEN.test(char);
}

/** The visible sign of one hidden character: ⏎, a control picture (␛, ␇, ␍) or ⟨U+202E⟩. */
export function sign(char) {
  const code = char.codePointAt(0);
  if (char === '\n') return '⏎';
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '␡';
  return '⟨U+' + code.toString(16).toUpperCase().padStart(4, '0') + '⟩';
}

/** Text whose lines stay lines (CR LF as a line break); every other hidden character as a sign. */
export function visibleLines(text) {
  let out = '';
  for (const char of String(text ?? '').replace(/\r\n/g, '\n')) {
    out += char === '\n' || char === '\t' || !isHidden(char) ? char : sign(char);
  }
  return out;
}

/**
 * What a person is asked to decide on, on one line: line breaks as ⏎, every hidden character as
 * a sign, and a run of eight or more equal blanks or hidden characters once with its count
 * (⟨60 × ⏎⟩), so that nothing can push part of it out of sight.
 */
export function visibleLine(text) {
  const chars = Array.from(String(text ?? ''));
  let out = '';
  for (let i = 0; i < chars.length;) {
    const char = chars[i];
    let end = i;
    while (end < chars.length && chars[end] === char) end++;
    const count = end - i;
    const hidden = isHidden(char);
    if (count >= RUN && (char === ' ' || hidden)) {
      out += '⟨' + count + ' × ' + (char === ' ' ? '␠' : sign(char)) + '⟩';
    } else {
      out += (hidden ? sign(char) : char).repeat(count);
    }
    i = end;
  }
  return out;
}
