// The form's fields: each input is named by its field path and saves itself.
import { el } from './dom.js';
import { page } from './store.js';
import { send, typing, typedSent, drafted } from './save.js';

// The attributes every field input carries: its field path as `name` (group.toml's with
// `group.` before it), an id from the name, and the path and file it is saved to.
function fieldAttrs(path, file, extra = {}) {
  const name = file ? `${file}.${path}` : path;
  const attrs = { name, id: 'f-' + name, 'data-path': path, ...extra };
  if (file) attrs['data-file'] = file;
  return attrs;
}

// An input under its label; the label names the field path so findings land beside it.
export function labelled(label, input) {
  return el('label', { class: 'field', 'data-field': input.name, for: input.id }, el('span', { text: label }), input);
}

// How a list is shown in one input and read back: words (space- or comma-separated),
// column alignments typed as 左 中 右, or numbers (relative column widths).
const ALIGN_WORDS = { left: '左', center: '中', right: '右' };
const words = t => t.split(/[\s,，、]+/).filter(w => w !== '');
export const LIST_KINDS = {
  words: { show: v => v.join(' '), read: words },
  align: {
    show: v => v.map(a => ALIGN_WORDS[a] || a).join(' '),
    read: t => words(t).map(w =>
      ({ '左': 'left', '置左': 'left', '中': 'center', '置中': 'center', '右': 'right', '置右': 'right' })[w] || w.toLowerCase()),
  },
  numbers: { show: v => v.join(' '), read: t => words(t).map(w => (isNaN(Number(w)) ? w : Number(w))) },
  lines: { show: v => v.join('\n'), read: t => t.split('\n').map(l => l.trim()).filter(l => l !== '') },
};

// A list in one input (kind `lines`: a text area, one entry per line), saved as a TOML
// array; an empty list removes the key.
export function listField(label, path, { kind = 'words', file, placeholder } = {}) {
  const attrs = fieldAttrs(path, file, { 'data-list': kind, placeholder });
  const input = kind === 'lines' ? el('textarea', attrs) : el('input', { type: 'text', ...attrs });
  const save = () => {
    const value = LIST_KINDS[kind].read(input.value);
    const text = LIST_KINDS[kind].show(value);
    if (text === (input.dataset.saved || '')) return;
    input.dataset.saved = text;
    send([{ op: 'set', path, value: value.length ? value : null }], file);
  };
  input.addEventListener('change', save);
  return labelled(label, input);
}

// A check box: ticked writes `true`, cleared removes the key (the default), or writes
// `false` where the default is true (`data-default`).
export function checkField(label, path, { file, defaultOn = false } = {}) {
  const attrs = fieldAttrs(path, file, { type: 'checkbox', 'data-check': 'true' });
  if (defaultOn) attrs['data-default'] = 'true';
  const box = el('input', attrs);
  box.addEventListener('change', () => {
    const value = box.checked === defaultOn ? null : box.checked;
    send([{ op: 'set', path, value }], file);
  });
  return el('label', { class: 'field check', 'data-field': attrs.name, for: attrs.id }, box, el('span', { text: label }));
}

// A choice among fixed values; the first option, when its value is '', removes the key.
export function choiceField(label, path, options, { file } = {}) {
  const select = el('select', fieldAttrs(path, file, { 'data-optional': 'true' }),
    ...options.map(([value, text]) => el('option', { value, text })));
  select.addEventListener('change', () => send([{ op: 'set', path, value: select.value || null }], file));
  return labelled(label, select);
}

// A text field: saved while typing (after a pause) and when left.
export function textField(label, path, { multiline = false, optional = false, number = false, placeholder, file } = {}) {
  const attrs = fieldAttrs(path, file, { placeholder });
  if (optional) attrs['data-optional'] = 'true';
  if (number) attrs['data-number'] = 'true';
  if (number) Object.assign(attrs, { min: '0', step: '1', inputmode: 'numeric' });
  const input = multiline ? el('textarea', attrs) : el('input', { type: number ? 'number' : 'text', ...attrs });
  let timer = null;
  const valueOf = () => {
    const value = input.value;
    if (number) return value === '' ? null : Number(value);
    return optional && value.trim() === '' ? null : value;
  };
  const save = () => {
    clearTimeout(timer); timer = null;
    typedSent(save);
    if (input.value === (input.dataset.saved || '')) return;
    input.dataset.saved = input.value;
    send([{ op: 'set', path, value: valueOf() }], file);
  };
  // Previewed at once (a draft, never written), saved after a pause.
  input.addEventListener('input', () => {
    clearTimeout(timer); timer = setTimeout(save, 500); typing(save); drafted(path, valueOf(), file);
  });
  input.addEventListener('change', save);
  return labelled(label, input);
}

const memberLabel = m => `${m.name}（${m.title || m.kind}）`;

export function memberOptions(select, withEmpty) {
  if (withEmpty) select.append(el('option', { value: '', text: withEmpty }));
  for (const m of page.state.members) select.append(el('option', { value: m.id, text: memberLabel(m) }));
}

// A member of the roster, or none.
export function selectField(label, path, emptyLabel) {
  return choiceField(label, path, [['', emptyLabel], ...page.state.members.map(m => [m.id, memberLabel(m)])]);
}
