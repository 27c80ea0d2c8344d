// packet serve: the form is drawn from the meeting.toml the server reads; every change
// is sent as one operation on one field path and written back into the TOML by the
// server. Every input's `name` is its field path (`place`, `report[0].title`, …).
'use strict';

const base = location.pathname.replace(/[^/]*$/, '');
const client = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
const NUMERALS = '零一二三四五六七八九十';
let meeting = new URLSearchParams(location.search).get('m');
let state = null;
let version = -1;
let shape = '';
let shownDoc = 'agenda';
let rosterOpen = false;
// The control to focus once the form is drawn again after a button's change: its id, and
// the element that had the focus when the button was pressed.
let focusNext = null;
// A speaker's unit, kept while a member is picked instead, so that picking 列席單位 again
// (an arrow key too far) brings it back.
const unitKept = new Map();
let settingsOpen = false;
const $ = (sel, root = document) => root.querySelector(sel);

function url(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined) q.set(k, v);
  return base + path + '?' + q.toString();
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function status(text) { $('#status').textContent = text; }

function notice(text) {
  const n = el('p', { class: 'notice', text });
  $('#notices').append(n);
  setTimeout(() => n.remove(), 15000);
}

// The value at a field path of the meeting's JSON.
function valueAt(path, root = state.doc) {
  let v = root;
  for (const part of path.split('.')) {
    const m = part.match(/^([^[]+)((?:\[\d+\])*)$/);
    if (!m || v === null || typeof v !== 'object') return undefined;
    v = v[m[1]];
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) v = Array.isArray(v) ? v[Number(idx[1])] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

// How many saves and reloads are under way, on the page (`data-pending` on <html>): a
// person sees 儲存中…, a test waits for 0 before it types into a form just redrawn.
let pending = 0;
async function busy(work) {
  document.documentElement.dataset.pending = ++pending;
  try { return await work(); } finally { document.documentElement.dataset.pending = --pending; }
}

// A tab's edits reach the server in the order they were made (one after another): two
// saves of one field racing each other could otherwise land the older last.
let sending = Promise.resolve();
function send(ops, file) {
  const job = busy(() => sending.then(() => sendNow(ops, file)));
  sending = job.catch(() => {});
  return job;
}

async function sendNow(ops, file) {
  status('儲存中…');
  const r = await fetch(url('api/edit', { m: meeting, file }), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client, ops }),
  });
  if (!r.ok) {
    const body = await r.json().catch(() => ({ error: r.statusText }));
    status('未儲存：' + body.error);
    notice('未儲存：' + body.error);
    await load();  // the form shows the file as it is
    return;
  }
  status('已儲存');
  await load();
}

// An attachment's options by its kind. A table (CSV, .xlsx, .ods): the line under its
// title, header rows, merged cells (A1 ranges, e.g. C1:G1), 註 lines, each column's
// alignment and width, and for a spreadsheet the sheet and the cells to print. Markdown:
// printed as slides or as a document. Every kind: 註 lines under it.
function attachmentOptions(a, q) {
  const kind = (a.file.split('.').pop() || '').toLowerCase();
  const fields = [];
  if (kind === 'md') {
    fields.push(choiceField('版式', `${q}.style`, [['', '文件'], ['slides', '簡報（每個 ## 段落一張投影片）']]));
  }
  if (['csv', 'xlsx', 'ods'].includes(kind)) {
    fields.push(
      textField('副標題（如資料日期）', `${q}.subtitle`, { optional: true }),
      textField('表頭列數', `${q}.header_rows`, { number: true }),
      listField('合併儲存格（如 A1:A2 C1:G1，以空白或逗號分隔）', `${q}.merge`),
      listField('各欄對齊（每欄一字：左 中 右）', `${q}.align`, { kind: 'align', placeholder: '中 左 右' }),
      listField('各欄相對寬度（每欄一數，如 1 3 1）', `${q}.widths`, { kind: 'numbers' }),
    );
    if (kind !== 'csv') {
      fields.push(textField('工作表', `${q}.sheet`, { optional: true }));
      fields.push(textField('範圍（如 A1:F30）', `${q}.range`, { optional: true }));
    }
  }
  fields.push(listField('註（每行一則，印在附件下方）', `${q}.notes`, { kind: 'lines' }));
  return fields;
}

// The attributes every field input carries: its field path as `name` (group.toml's with
// `group.` before it), an id from the name, and the path and file it is saved to.
function fieldAttrs(path, file, extra = {}) {
  const name = file ? `${file}.${path}` : path;
  const attrs = { name, id: 'f-' + name, 'data-path': path, ...extra };
  if (file) attrs['data-file'] = file;
  return attrs;
}

// An input under its label; the label names the field path so findings land beside it.
function labelled(label, input) {
  return el('label', { class: 'field', 'data-field': input.name, for: input.id }, el('span', { text: label }), input);
}

// How a list is shown in one input and read back: words (space- or comma-separated),
// column alignments typed as 左 中 右, or numbers (relative column widths).
const ALIGN_WORDS = { left: '左', center: '中', right: '右' };
const words = t => t.split(/[\s,，、]+/).filter(w => w !== '');
const LIST_KINDS = {
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
function listField(label, path, { kind = 'words', file, placeholder } = {}) {
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
function checkField(label, path, { file, defaultOn = false } = {}) {
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
function choiceField(label, path, options, { file } = {}) {
  const select = el('select', fieldAttrs(path, file, { 'data-optional': 'true' }),
    ...options.map(([value, text]) => el('option', { value, text })));
  select.addEventListener('change', () => send([{ op: 'set', path, value: select.value || null }], file));
  return labelled(label, select);
}

// A text field: saved while typing (after a pause) and when left.
function textField(label, path, { multiline = false, optional = false, number = false, placeholder, file } = {}) {
  const attrs = fieldAttrs(path, file, { placeholder });
  if (optional) attrs['data-optional'] = 'true';
  if (number) attrs['data-number'] = 'true';
  if (number) Object.assign(attrs, { min: '0', step: '1', inputmode: 'numeric' });
  const input = multiline ? el('textarea', attrs) : el('input', { type: number ? 'number' : 'text', ...attrs });
  let timer = null;
  const save = () => {
    clearTimeout(timer); timer = null;
    let value = input.value;
    if (value === (input.dataset.saved || '')) return;
    input.dataset.saved = value;
    if (number) value = value === '' ? null : Number(value);
    else if (optional && value.trim() === '') value = null;
    send([{ op: 'set', path, value }], file);
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(save, 500); });
  input.addEventListener('change', save);
  return labelled(label, input);
}

const memberLabel = m => `${m.name}（${m.title || m.kind}）`;

function memberOptions(select, withEmpty) {
  if (withEmpty) select.append(el('option', { value: '', text: withEmpty }));
  for (const m of state.members) select.append(el('option', { value: m.id, text: memberLabel(m) }));
}

// A member of the roster, or none.
function selectField(label, path, emptyLabel) {
  return choiceField(label, path, [['', emptyLabel], ...state.members.map(m => [m.id, memberLabel(m)])]);
}

function opinionBox(itemPath, j) {
  const p = `${itemPath}.opinion[${j}]`;
  const speaker = el('select', { name: `${p}.member`, id: `f-${p}.member`, 'data-path': `${p}.member`, 'data-optional': 'true' });
  memberOptions(speaker, '（列席單位，於下欄填寫）');
  speaker.addEventListener('change', () => {
    const ops = [{ op: 'set', path: `${p}.member`, value: speaker.value || null }];
    const unit = valueAt(`${p}.unit`);
    if (speaker.value && unit) {
      unitKept.set(p, unit);
      ops.push({ op: 'set', path: `${p}.unit`, value: null });
    } else if (!speaker.value && unitKept.has(p)) {
      ops.push({ op: 'set', path: `${p}.unit`, value: unitKept.get(p) });
    }
    send(ops);
  });
  const box = el('div', { class: 'opinion', 'data-field': p, role: 'group', 'aria-label': `意見 ${j + 1}` },
    labelled('發言者（委員）', speaker));
  if (!valueAt(`${p}.member`)) box.append(textField('發言單位', `${p}.unit`, { optional: true }));
  box.append(textField('發言內容', `${p}.text`, { multiline: true }));
  box.append(el('button', { type: 'button', text: '刪除此意見', id: `b-${p}-remove`, onclick: () => {
    if (valueAt(`${p}.text`) && !confirm('刪除此意見（含已填的發言內容）？')) return;
    focusNext = { id: `b-${itemPath}-add-opinion`, from: document.activeElement };
    send([{ op: 'remove', path: p }]);
  } }));
  return box;
}

// Attachments: label, title and options of each; a new file is uploaded into the
// meeting's attachments/ under a clean name and listed on the item.
function attachmentsBox(p) {
  const files = valueAt(`${p}.attachment`) || [];
  const attachments = el('div', { 'data-field': `${p}.attachment` }, el('h4', { text: '附件' }));
  files.forEach((a, k) => {
    const q = `${p}.attachment[${k}]`;
    attachments.append(el('div', { class: 'opinion', 'data-field': q, role: 'group', 'aria-label': `附件 ${k + 1}` },
      el('p', { text: a.file }),
      textField('標示（如 附件1；空白時自動編號）', `${q}.label`, { optional: true }),
      textField('標題', `${q}.title`, { optional: true }),
      ...attachmentOptions(a, q),
      el('button', { type: 'button', text: '上移', disabled: k === 0, 'aria-label': `附件 ${k + 1} 上移`, id: `b-${q}-up`,
        onclick: () => { focusNext = { id: `b-${p}.attachment[${k - 1}]-${k - 1 > 0 ? 'up' : 'remove'}`, from: document.activeElement }; send([{ op: 'move', path: q, by: -1 }]); } }),
      el('button', { type: 'button', text: '自此案移除（檔案保留）', id: `b-${q}-remove`, onclick: () => {
        if (!confirm(`自此案移除 ${a.file}？（檔案仍留在 attachments/）`)) return;
        focusNext = { id: `f-${p}.upload`, from: document.activeElement };
        send([{ op: 'remove', path: q }]);
      } })));
  });
  attachments.append(uploadField(`${p}.attachment`, `f-${p}.upload`, '上傳附件（md、csv、xlsx、ods、圖片、pdf）', p));
  return attachments;
}

// A file input that sends the chosen file to the meeting's attachments/; with `item`, the
// file is listed on that item too.
function uploadField(name, id, label, item) {
  const upload = el('input', { type: 'file', name, id, accept: '.md,.csv,.xlsx,.ods,.png,.jpg,.jpeg,.gif,.webp,.svg,.pdf' });
  upload.addEventListener('change', () => busy(async () => {
    const file = upload.files[0];
    if (!file) return;
    status('上傳中…');
    const r = await fetch(url('api/upload', { m: meeting, item, name: file.name }), {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Packet-Upload': '1' }, body: file });
    const body = await r.json().catch(() => ({ error: r.statusText }));
    status(r.ok ? `已上傳 ${body.file}` : '未上傳：' + body.error);
    await load();
  }));
  return el('label', { class: 'field', for: id }, el('span', { text: label }), upload);
}

const ADVICE = [['', '（不列建議）'], ['解除列管', '建議解除列管'], ['繼續列管', '建議繼續列管']];
const RESULT = [['', '依列管建議（無建議時解除列管）'], ['解除列管', '解除列管'], ['繼續列管', '繼續列管']];

// The tracking item: one row per decision still 列管 (its 辦理情形, 列管建議 and what the
// meeting decided), each shown with the decision it answers; rows missing from the file
// are added from the series' open decisions.
function progressBox(p) {
  const progress = valueAt(`${p}.progress`) || [];
  const open = state.open || [];
  const rows = el('div', { 'data-field': `${p}.progress` }, el('h4', { text: '列管事項辦理情形' }));
  progress.forEach((row, j) => {
    const q = `${p}.progress[${j}]`;
    const d = open.find(o => o.id === row.id);
    const box = el('div', { class: 'opinion', 'data-field': q, role: 'group', 'aria-label': `列管事項 ${row.id}` },
      el('p', { class: 'context', text: d ? `${row.id}（${d.meeting}${d.section}）${d.title}` : `${row.id}：不在本次會議的列管清單中` }));
    if (d) box.append(el('p', { class: 'context', text: `決定（議）：${d.decision}` }));
    else box.append(textField('決定編號', `${q}.id`));
    box.append(
      textField('辦理情形', `${q}.status`, { multiline: true }),
      choiceField('列管建議', `${q}.advice`, ADVICE),
      choiceField('會議決定', `${q}.result`, RESULT),
      el('button', { type: 'button', text: '刪除此列', 'aria-label': `刪除列管事項 ${row.id}`, id: `b-${q}-remove`, onclick: () => {
        if (!confirm(`刪除列管事項 ${row.id} 的辦理情形列？`)) return;
        focusNext = { id: `f-${p}.progress.add`, from: document.activeElement };
        send([{ op: 'remove', path: q }]);
      } }));
    rows.append(box);
  });
  const missing = open.filter(o => !progress.some(r => r.id === o.id));
  if (missing.length) {
    const pick = el('select', { id: `f-${p}.progress.add`, name: `${p}.progress.add`, 'aria-label': '要新增辦理情形的列管決定' },
      ...missing.map(o => el('option', { value: o.id, text: `${o.id} ${o.title}` })));
    rows.append(el('label', { class: 'field', for: pick.id }, el('span', { text: '尚未填寫的列管決定' }), pick),
      el('button', { type: 'button', text: '新增辦理情形', onclick: () => {
        focusNext = { id: `f-${p}.progress[${progress.length}].status`, from: document.activeElement };
        send([{ op: 'append', path: `${p}.progress`, fields: { id: pick.value, status: '' } }]);
      } }));
  }
  return rows;
}

// 辦理情形 rows typed by hand, for a series whose earlier minutes are not in packet.
function trackingRowsBox(p) {
  const rows = valueAt(`${p}.tracking`) || [];
  const box = el('details', { 'data-field': `${p}.tracking`, open: rows.length > 0 },
    el('summary', { text: `列管事項（手寫，前次會議紀錄不在 packet 時使用）：${rows.length} 列` }));
  rows.forEach((_, j) => {
    const q = `${p}.tracking[${j}]`;
    box.append(el('div', { class: 'opinion', 'data-field': q, role: 'group', 'aria-label': `列管事項第 ${j + 1} 列` },
      choiceField('來自', `${q}.from`, [['報告事項', '報告事項'], ['討論事項', '討論事項'], ['臨時動議', '臨時動議']]),
      textField('案由', `${q}.title`),
      textField('決定（議）', `${q}.decision`, { multiline: true }),
      textField('辦理情形', `${q}.progress`, { multiline: true }),
      textField('決定編號（如 6-D1；可空白）', `${q}.id`, { optional: true }),
      choiceField('列管建議', `${q}.advice`, ADVICE),
      choiceField('會議決定', `${q}.result`, RESULT),
      el('button', { type: 'button', text: '刪除此列', onclick: () => {
        if (!confirm(`刪除列管事項第 ${j + 1} 列？`)) return;
        focusNext = { id: `b-${p}-tracking-add`, from: document.activeElement };
        send([{ op: 'remove', path: q }]);
      } })));
  });
  box.append(el('button', { type: 'button', text: '新增列管事項列', id: `b-${p}-tracking-add`, onclick: () => {
    focusNext = { id: `f-${p}.tracking[${rows.length}].from`, from: document.activeElement };
    send([{ op: 'append', path: `${p}.tracking`, fields: { from: '討論事項', title: '', decision: '' } }]);
  } }));
  return box;
}

const SECTIONS = {
  report: { name: '報告事項', unit: '報告單位', decision: '決定' },
  discussion: { name: '討論事項', unit: '提案單位', decision: '決議' },
  'minutes.motion': { name: '臨時動議', unit: '提案單位（或提案人）', decision: '決議' },
};

function itemBox(section, i, count) {
  const p = `${section}[${i}]`;
  const kind = SECTIONS[section];
  const name = `${kind.name} 第${NUMERALS[i + 1] || i + 1}案`;
  const box = el('fieldset', { class: 'item', 'data-field': p }, el('legend', { text: name }));
  // After a move the keyboard stays on the moved item, on a button that can be pressed again.
  const moveTo = k => `b-${section}[${k}]-${k === 0 ? 'down' : k === count - 1 ? 'up' : 'up'}`;
  box.append(
    el('button', { type: 'button', text: '上移', disabled: i === 0, 'aria-label': `${name} 上移`, id: `b-${p}-up`,
      onclick: () => { focusNext = { id: moveTo(i - 1), from: document.activeElement }; send([{ op: 'move', path: p, by: -1 }]); } }),
    el('button', { type: 'button', text: '下移', disabled: i === count - 1, 'aria-label': `${name} 下移`, id: `b-${p}-down`,
      onclick: () => { focusNext = { id: i + 1 === count - 1 ? `b-${section}[${i + 1}]-up` : `b-${section}[${i + 1}]-down`, from: document.activeElement }; send([{ op: 'move', path: p, by: 1 }]); } }),
    el('button', { type: 'button', text: '刪除', 'aria-label': `刪除${name}`, id: `b-${p}-remove`, onclick: () => {
      if (!confirm(`刪除${name}？`)) return;
      focusNext = { id: `b-${section}-add`, from: document.activeElement };
      send([{ op: 'remove', path: p }]);
    } }),
    textField(kind.unit, `${p}.unit`),
    textField('案由', `${p}.title`),
    textField('說明（Markdown：1. 2. 印為 一、二、）', `${p}.explanation`, { multiline: true, optional: true }),
  );
  if (section !== 'minutes.motion') {
    box.append(attachmentsBox(p));
    box.append(checkField('本案為「上次會議決定（議）事項辦理情形」：表格由前次會議紀錄產生', `${p}.track`));
    if (valueAt(`${p}.track`) === true || (valueAt(`${p}.progress`) || []).length) box.append(progressBox(p));
    else if (section === 'report') box.append(trackingRowsBox(p));
  }
  const opinions = valueAt(`${p}.opinion`) || [];
  const list = el('div', { 'data-field': `${p}.opinion` }, el('h4', { text: '委員意見' }));
  opinions.forEach((_, j) => list.append(opinionBox(p, j)));
  list.append(el('button', { type: 'button', text: '新增意見', 'aria-label': `${name} 新增意見`, id: `b-${p}-add-opinion`,
    onclick: () => { focusNext = { id: `f-${p}.opinion[${opinions.length}].member`, from: document.activeElement }; send([{ op: 'append', path: `${p}.opinion`, fields: { text: '' } }]); } }));
  box.append(list, textField(kind.decision, `${p}.decision`, { multiline: true, optional: true }));
  return box;
}

const STATUS = [['present', '出席'], ['delegate', '代理'], ['leave', '請假'], ['none', '缺席']];

function attendanceStatus(id) {
  const a = valueAt('minutes.attendance') || {};
  if ((a.present || []).includes(id)) return 'present';
  if (a.delegate && id in a.delegate) return 'delegate';
  if ((a.leave || []).includes(id)) return 'leave';
  return 'none';
}

function attendanceBox() {
  const partial = valueAt('minutes.attendance.roll') === 'partial';
  const box = el('fieldset', { 'data-field': 'minutes.attendance' }, el('legend', { text: '出席情形' }));
  const roll = el('select', { name: 'minutes.attendance.roll', id: 'f-roll', 'data-path': 'minutes.attendance.roll' },
    el('option', { value: 'complete', text: '完整（未列者為缺席）' }), el('option', { value: 'partial', text: '部分（未列者為未記錄）' }));
  roll.value = partial ? 'partial' : 'complete';
  roll.addEventListener('change', () => send([{ op: 'set', path: 'minutes.attendance.roll', value: roll.value === 'partial' ? 'partial' : null }]));
  box.append(el('label', { class: 'field', for: 'f-roll' }, el('span', { text: '出席紀錄' }), roll));
  const table = el('table', { class: 'attendance' },
    el('thead', {}, el('tr', {}, ...['委員', '出席狀態', '代理人', '不記名', '不公開'].map(t => el('th', { text: t })))));
  const body = el('tbody');
  for (const m of state.members) {
    const group = `minutes.attendance[${m.id}]`;
    const radios = el('div', { role: 'radiogroup', 'aria-label': `${m.name} 出席狀態`, 'data-field': group });
    const delegate = el('input', { type: 'text', name: `minutes.attendance.delegate.${m.id}`, 'aria-label': `${m.name} 的代理人`,
      'data-path': `minutes.attendance.delegate.${m.id}`, id: `f-delegate-${m.id}` });
    const current = attendanceStatus(m.id);
    delegate.disabled = current !== 'delegate';
    for (const [value, label] of STATUS) {
      const shown = value === 'none' && partial ? '未記錄' : label;
      const radio = el('input', { type: 'radio', name: group, value, id: `f-${m.id}-${value}`, checked: current === value,
        'data-member': m.id });
      radio.addEventListener('change', () => send([{ op: 'attendance', member: m.id, status: value, delegate: delegate.value }]));
      radios.append(el('label', {}, radio, shown + ' '));
    }
    delegate.addEventListener('change', () => send([{ op: 'attendance', member: m.id, status: 'delegate', delegate: delegate.value }]));
    const flag = (list, label) => {
      const box = el('input', { type: 'checkbox', name: `minutes.${list}`, value: m.id, 'aria-label': `${m.name} ${label}`, id: `f-${list}-${m.id}`,
        checked: (valueAt(`minutes.${list}`) || []).includes(m.id), 'data-member-list': `minutes.${list}` });
      box.addEventListener('change', () => send([{ op: 'member', path: `minutes.${list}`, member: m.id, on: box.checked }]));
      return box;
    };
    body.append(el('tr', { 'data-field': `member.${m.id}` }, el('th', { text: m.name, scope: 'row' }), el('td', {}, radios),
      el('td', {}, delegate), el('td', {}, flag('anonymous', '不記名')), el('td', {}, flag('private', '不公開'))));
  }
  table.append(body);
  box.append(table, listField('列席者（每行一位或一個單位）', 'minutes.attendance.observers', { kind: 'lines' }));
  return box;
}

// The roster: group.toml's [[member]] tables (inputs named `group.member[3].name`).
function rosterBox() {
  const box = el('details', { 'data-field': 'group.member', open: rosterOpen }, el('summary', { text: '委員名冊（group.toml）' }));
  box.addEventListener('toggle', () => { rosterOpen = box.open; });
  const members = valueAt('member', state.group) || [];
  members.forEach((m, i) => {
    const p = `member[${i}]`;
    const choice = (label, key, options) =>
      choiceField(label, `${p}.${key}`, options.map(o => [o, o || '（請選擇）']), { file: 'group' });
    box.append(el('fieldset', { 'data-field': `group.${p}` }, el('legend', { text: m.name || `委員 ${i + 1}` }),
      textField('代號（英數字，出席與發言以此指稱）', `${p}.id`, { file: 'group' }),
      textField('姓名', `${p}.name`, { file: 'group' }),
      textField('職稱', `${p}.title`, { file: 'group' }),
      textField('服務單位', `${p}.organisation`, { file: 'group' }),
      choice('類別', 'kind', ['', '機關代表', '民間代表']),
      choice('性別', 'gender', ['', '男', '女', '無', '不公開']),
      choiceField('職務', `${p}.role`, [['', '委員'], ['召集人', '召集人'], ['共同召集人', '共同召集人'], ['副召集人', '副召集人']], { file: 'group' }),
      textField('聘期起（民間代表，如 2024-01-01）', `${p}.term_start`, { file: 'group', optional: true }),
      textField('聘期迄', `${p}.term_end`, { file: 'group', optional: true }),
      textField('已續聘次數（民間代表；首任為 0）', `${p}.renewals`, { file: 'group', number: true }),
      el('button', { type: 'button', text: '刪除此委員', onclick: () => {
        if (!confirm(`刪除委員 ${m.name}？`)) return;
        focusNext = { id: 'b-group-member-add', from: document.activeElement };
        send([{ op: 'remove', path: p }], 'group');
      } })));
  });
  // A new member's kind and gender are chosen, not assumed (the check asks until they are).
  box.append(el('button', { type: 'button', text: '新增委員', id: 'b-group-member-add', onclick: () => {
    focusNext = { id: `f-group.member[${members.length}].id`, from: document.activeElement };
    send([{ op: 'append', path: 'member', fields: { id: '', name: '', title: '', organisation: '' } }], 'group');
  } }));
  return box;
}

// The group's own settings: group.toml's other keys (inputs named `group.agency`, …).
function settingsBox() {
  const g = { file: 'group' };
  const own = valueAt('rules.set', state.group) === 'own';
  const box = el('details', { 'data-field': 'group', open: settingsOpen }, el('summary', { text: '小組設定（group.toml）' }));
  box.addEventListener('toggle', () => { settingsOpen = box.open; });
  box.append(
    el('fieldset', { 'data-field': 'group.agency' }, el('legend', { text: '機關與小組' }),
      textField('機關名稱', 'agency', g),
      textField('小組名稱', 'name', g),
      textField('幕僚單位', 'unit', { ...g, optional: true }),
      textField('會議名稱格式（可用 {機關} {小組} {年} {次}；空白為預設）', 'title', { ...g, optional: true }),
      choiceField('會議編號（改變時，各次會議的「第幾次」須依新方式改寫）', 'numbering', [['', '每年重新起算（113 年第 1 次）'], ['continuous', '連續編號（第 5 次）']], g),
      checkField('公開委員性別（委員名單加列性別欄）', 'publish_gender', g)),
    el('fieldset', { 'data-field': 'group.contact' }, el('legend', { text: '聯絡人（開放資料詮釋資料）' }),
      textField('姓名', 'contact.name', g),
      textField('電話', 'contact.phone', { ...g, optional: true }),
      textField('電子郵件', 'contact.email', { ...g, optional: true })),
    el('fieldset', { 'data-field': 'group.rules' }, el('legend', { text: '期限與檢核規則' }),
      textField('會前提供資料：開會前第幾個工作日（預設 5）', 'rules.materials_days', { ...g, number: true }),
      textField('會議紀錄草稿：會後幾個工作日內（預設 10）', 'rules.draft_minutes_days', { ...g, number: true }),
      textField('公開於開放平臺：會後幾個工作日內（預設 14）', 'rules.publication_days', { ...g, number: true }),
      checkField('列管表加列「列管建議」欄', 'rules.tracking_advice', g),
      choiceField('組成與法定人數檢核依據', 'rules.set', [['', '政府資料開放諮詢小組設置要點（預設）'], ['own', '本小組自訂設置要點'], ['none', '不檢核']], g),
      ...(own ? [
        textField('自訂設置要點名稱（印在檢核訊息後）', 'rules.own.citation', g),
        textField('法定人數（占全體委員比例，如 1/2）', 'rules.own.quorum', { ...g, optional: true }),
        textField('民間代表親自出席至少幾人', 'rules.own.civil_present', { ...g, number: true }),
        textField('委員至少幾人', 'rules.own.min_members', { ...g, number: true }),
        textField('民間代表占委員比例至少（如 1/3）', 'rules.own.civil_share', { ...g, optional: true }),
      ] : [])),
    el('fieldset', { 'data-field': 'group.tracking' }, el('legend', { text: '列管表' }),
      choiceField('樣式', 'tracking.style', [['', '依報告事項、討論事項分組'], ['numbered', '一、二、… 依序編號']], g),
      textField('繼續列管的用語（預設 繼續列管）', 'tracking.keep', { ...g, optional: true }),
      textField('解除列管的用語（預設 解除列管）', 'tracking.close', { ...g, optional: true }),
      checkField('前次會議的辦理情形案也列入下次列管表', 'tracking.list_own_item', { ...g, defaultOn: true })),
    el('fieldset', { 'data-field': 'group.open_data' }, el('legend', { text: '政府資料開放平臺（資料集詮釋資料）' }),
      textField('資料集名稱（空白為預設）', 'open_data.dataset_name', { ...g, optional: true }),
      choiceField('更新頻率', 'open_data.update_frequency', [['', '每半年（預設）'], ['不定期', '不定期'], ['每年', '每年'], ['每季', '每季']], g),
      textField('資料集上架日期（如 2020-03-01）', 'open_data.listed', { ...g, optional: true }),
      textField('服務分類代碼（預設 I00）', 'open_data.category', { ...g, optional: true }),
      textField('資料集分類', 'open_data.category_dataset', { ...g, optional: true }),
      textField('機關 OID（如 2.16.886.101.20003）', 'open_data.publisher_oid', { ...g, optional: true }),
      textField('檔案存放網址（如 https://www.example.gov.tw/opendata/）', 'open_data.base_url', { ...g, optional: true }),
      textField('法令依據（空白為預設）', 'open_data.legal_basis', { ...g, optional: true }),
      listField('關鍵字（以空白或逗號分隔）', 'open_data.keywords', g)));
  return box;
}

// The form, drawn again only when its shape changes (items, opinions, roster); otherwise
// only the values of fields not being edited are refreshed.
function shapeOf() {
  const items = sec => (valueAt(sec) || []).map(it => [
    (it.opinion || []).map(o => (o.member ? 'm' : 'u')).join(''),
    (it.progress || []).map(r => r.id), (it.tracking || []).length,
    (it.attachment || []).map(a => a.file), it.track === true]);
  const roster = (valueAt('member', state.group) || []).length;
  return JSON.stringify([items('report'), items('discussion'), items('minutes.motion'), state.members.map(m => [m.id, m.name, m.title, m.kind]),
    valueAt('minutes.attendance.roll'), roster, valueAt('rules.set', state.group), (state.open || []).map(o => o.id)]);
}

// A new item: the group's 幕僚單位 reports and proposes unless told otherwise; a 臨時動議's
// proposer (a unit or a member) is typed.
function newItem(section) {
  if (section === 'minutes.motion') return { unit: '', title: '' };
  return { unit: (state.group && state.group.unit) || '', title: '' };
}

function drawForm() {
  const form = $('#editor');
  const active = document.activeElement;
  const focusedId = active && active.id;
  const focused = active && active.name;
  // The text field being typed in moves into the field drawn anew, caret and all: its
  // text may be newer than the state just read (typed since, or sent and not yet written).
  const typing = isTextField(active) && active.dataset.path !== undefined
    ? { value: active.value, saved: active.dataset.saved, start: active.selectionStart, end: active.selectionEnd } : null;
  form.replaceChildren();
  if (state.doc === null) {
    form.append(el('p', { text: 'meeting.toml 目前無法讀取；請依下列訊息修正檔案，存檔後此頁會自動更新。' }));
    return;
  }
  form.append(el('div', { id: 'general-findings', 'data-field': '' }));
  const basics = el('fieldset', {}, el('legend', { text: '會議資料' }),
    textField('第幾次會議', 'number', { number: true }),
    textField('日期（如 2024-04-29 或 113-04-29）', 'date'),
    textField('時間（如 14:30）', 'time'),
    textField('地點', 'place'),
    selectField('主席', 'chair', '（未指定）'));
  form.append(basics);
  for (const [section, title] of [['report', '報告事項'], ['discussion', '討論事項'], ['minutes.motion', '臨時動議']]) {
    const items = valueAt(section) || [];
    const box = el('section', { 'data-field': section }, el('h2', { text: title }));
    items.forEach((_, i) => box.append(itemBox(section, i, items.length)));
    box.append(el('button', { type: 'button', text: `新增${title}`, id: `b-${section}-add`,
      onclick: () => { focusNext = { id: `f-${section}[${items.length}].unit`, from: document.activeElement }; send([{ op: 'append', path: section, fields: newItem(section) }]); } }));
    form.append(box);
  }
  form.append(el('fieldset', { 'data-field': 'attachments' }, el('legend', { text: '附件引用的圖片' }),
    el('p', { text: 'Markdown 附件中以 ![說明](檔名) 引用的圖片：只存入本次會議的 attachments/，不列為附件。' }),
    uploadField('attachments', 'f-upload-image', '上傳圖片（png、jpg、gif、webp、svg）', null)));
  form.append(el('fieldset', { 'data-field': 'minutes' }, el('legend', { text: '會議紀錄' }),
    textField('開始時間（預設為會議時間）', 'minutes.start', { optional: true }),
    textField('散會時間（填寫後紀錄不再是草稿）', 'minutes.end', { optional: true }),
    selectField('代理主席（與會議主席不同時）', 'minutes.chair', '（同會議主席）'),
    textField('紀錄', 'minutes.recorder', { optional: true }),
    textField('逐字紀錄網址', 'minutes.transcript', { optional: true }),
    textField('主席致詞（Markdown；空白印為 略）', 'minutes.opening', { multiline: true, optional: true })));
  form.append(attendanceBox());
  form.append(el('fieldset', { 'data-field': 'dates' }, el('legend', { text: '寄送與公開日期（供期限檢核）' }),
    textField('議程及會議資料送達委員之日（如 2024-04-22）', 'dates.materials_sent', { optional: true }),
    textField('會議紀錄草稿送達委員之日', 'dates.draft_minutes_sent', { optional: true }),
    textField('公開於政府資料開放平臺之日', 'dates.published', { optional: true })));
  if (state.group) form.append(rosterBox(), settingsBox());
  // Keep the keyboard where it was: the same input, found by id (or name), drawn anew.
  // Check boxes and radios share names: only their id finds the same one again.
  const byName = focused && form.querySelector(`[name="${CSS.escape(focused)}"]`);
  const again = (focusedId && document.getElementById(focusedId))
    || (byName && !['checkbox', 'radio'].includes(byName.type) ? byName : null);
  // A button's next focus, unless the person has moved on since pressing it.
  const next = focusNext && (active === focusNext.from || active === document.body || !active)
    ? document.getElementById(focusNext.id) : null;
  const target = next || again;
  focusNext = null;
  if (target) target.focus();
  if (typing && again && target === again) {
    again.value = typing.value;
    if (typing.saved !== undefined) again.dataset.saved = typing.saved;
    try { again.setSelectionRange(typing.start, typing.end); } catch (e) { /* a number input has no caret */ }
    if (typing.value !== typing.saved) again.dispatchEvent(new Event('input'));  // saved after the usual pause
  }
}

function isTextField(e) {
  return !!e && (e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT' && ['text', 'number'].includes(e.type)));
}

function fillValues() {
  for (const input of document.querySelectorAll('#editor [data-path]')) {
    const v = valueAt(input.dataset.path, input.dataset.file === 'group' ? state.group : state.doc);
    if (input.dataset.check) {
      input.checked = v === undefined || v === null ? input.dataset.default === 'true' : v === true;
      continue;
    }
    const kind = input.dataset.list;
    const text = v === undefined || v === null ? '' : Array.isArray(v) ? LIST_KINDS[kind || 'words'].show(v) : String(v);
    // The field in use keeps what it shows (its own save brings the file up to it), unless
    // another tab overwrote it (`force`, with a notice).
    if (input === document.activeElement && isTextField(input) && input.dataset.saved !== undefined && !input.dataset.force) continue;
    delete input.dataset.force;
    if (input.tagName === 'SELECT' && input.dataset.path.endsWith('.roll')) continue;
    // A value the file holds that the choices do not name is shown as it is, not hidden.
    if (input.tagName === 'SELECT' && text !== '' && ![...input.options].some(o => o.value === text)) {
      input.append(el('option', { value: text, text: `${text}（檔案中的值）` }));
    }
    input.value = text;
    input.dataset.saved = text;
  }
  // Attendance and the 不記名 / 不公開 ticks as the file has them now (another tab or
  // editor may have changed them); the delegate's name box is open only for 代理.
  for (const radio of document.querySelectorAll('#editor input[type=radio][data-member]')) {
    radio.checked = attendanceStatus(radio.dataset.member) === radio.value;
  }
  for (const box of document.querySelectorAll('#editor input[data-member-list]')) {
    box.checked = (valueAt(box.dataset.memberList) || []).includes(box.value);
  }
  for (const m of state.members) {
    const delegate = document.getElementById(`f-delegate-${m.id}`);
    if (delegate) delegate.disabled = attendanceStatus(m.id) !== 'delegate';
  }
}

// Each finding beside the field it names, or the nearest enclosing part of the form.
function showFindings() {
  for (const f of document.querySelectorAll('#editor .finding')) f.remove();
  for (const summary of document.querySelectorAll('#editor summary[data-count]')) delete summary.dataset.count;
  const general = $('#general-findings');
  for (const f of state.findings) {
    let field = f.field || '';
    if (f.file === 'group.toml' && field) field = `group.${field}`;
    let target = null;
    while (field && !(target = document.querySelector(`#editor [data-field="${CSS.escape(field)}"]`))) {
      field = field.replace(/(\[[^\]]*\]|\.[^.[]*)$/, '');
    }
    // In its part of the form the message says enough; only at the top does it name the
    // field. The file, line and field path are its tooltip, for whoever opens the TOML.
    const placed = target && field;
    const p = el('p', { class: `finding sev-${f.severity}`, 'data-finding-for': f.field,
      title: f.line ? `${f.file || ''} 第 ${f.line} 行${f.field ? '：' + f.field : ''}` : (f.field || ''),
      text: placed || !f.field ? f.message : `${f.field}：${f.message}` });
    if (target && field) target.append(p);
    else if (general) general.append(p);
    else $('#editor').append(p);
    // A folded part of the form says on its summary how many findings it holds.
    for (let d = p.closest('details'); d; d = d.parentElement.closest('details')) {
      const summary = d.querySelector(':scope > summary');
      if (summary) summary.dataset.count = Number(summary.dataset.count || 0) + 1;
    }
  }
}

function load() { return busy(loadNow); }

async function loadNow() {
  const r = await fetch(url('api/state', { m: meeting }));
  if (!r.ok) { status('無法讀取：' + r.status); return; }
  state = await r.json();
  meeting = state.meeting;
  version = state.version;
  const select = $('#meeting');
  if (select.options.length !== state.meetings.length) {
    select.replaceChildren(...state.meetings.map(m => el('option', { value: m, text: m })));
  }
  select.value = meeting;
  const now = shapeOf() + (state.doc === null);
  if (now !== shape || !$('#editor').childElementCount) { drawForm(); shape = now; }
  fillValues();
  showFindings();
  $('#pdf-agenda').href = url('api/pdf', { m: meeting, doc: 'agenda' });
  $('#pdf-minutes').href = url('api/pdf', { m: meeting, doc: 'minutes' });
  $('#odt-agenda').href = url('api/pdf', { m: meeting, doc: 'agenda', format: 'odt' });
  $('#odt-minutes').href = url('api/pdf', { m: meeting, doc: 'minutes', format: 'odt' });
  $('#bundle').href = url('api/bundle', { m: meeting });
  refreshPreview();
}

let previewBusy = false, previewAgain = false;
async function refreshPreview() {
  if (previewBusy) { previewAgain = true; return; }
  previewBusy = true;
  try {
    do {
      previewAgain = false;
      const doc = shownDoc;
      const r = await fetch(url('api/preview', { m: meeting, doc }));
      const p = await r.json();
      const errors = $('#preview-errors');
      errors.replaceChildren(...p.errors.map(e => el('p', { class: 'finding', text: `${e.field ? e.field + '：' : ''}${e.message}` })));
      if (p.errors.length && !p.pages.length) continue;  // keep the pages shown
      const pages = $('#pages');
      p.pages.forEach((hash, n) => {
        let img = pages.children[n];
        if (!img) {
          img = el('img', { alt: `第 ${n + 1} 頁` });
          // A page the server has moved past (a newer edit) is asked for again, a few times.
          img.addEventListener('error', () => {
            const tries = Number(img.dataset.tries || 0);
            if (tries >= 3) return;
            img.dataset.tries = tries + 1;
            delete img.dataset.hash;
            setTimeout(refreshPreview, 300);
          });
          img.addEventListener('load', () => { delete img.dataset.tries; });
          pages.append(img);
        }
        if (img.dataset.hash !== hash || img.dataset.doc !== doc) {
          img.dataset.hash = hash;
          img.dataset.doc = doc;
          img.src = url('api/page', { m: meeting, doc, n, h: hash });
        }
      });
      while (pages.children.length > p.pages.length) pages.lastChild.remove();
      pages.dataset.pages = p.pages.join(',');
    } while (previewAgain);
  } finally {
    previewBusy = false;
  }
}

function showDoc(doc) {
  shownDoc = doc;
  $('#show-agenda').setAttribute('aria-pressed', doc === 'agenda');
  $('#show-minutes').setAttribute('aria-pressed', doc === 'minutes');
  refreshPreview();
}

// Told when the files change (here, in another tab, or in another editor) and when
// another tab overwrote a field this tab wrote.
async function waitForChanges() {
  for (;;) {
    try {
      const r = await fetch(url('api/wait', { since: version, client }));
      const w = await r.json();
      for (const n of w.notices) {
        notice(`「${n.field}」${n.message}`);
        const input = document.querySelector(`[name="${CSS.escape(n.field)}"]`);
        if (input) input.dataset.force = 'true';  // show the newest value even while focused
      }
      if (w.version !== version || w.notices.length) await load();
    } catch (e) {
      status('與編輯器的連線中斷，重試中…');
      await new Promise(ok => setTimeout(ok, 2000));
    }
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#show-agenda').addEventListener('click', () => showDoc('agenda'));
  $('#show-minutes').addEventListener('click', () => showDoc('minutes'));
  $('#meeting').addEventListener('change', e => { location.search = '?m=' + encodeURIComponent(e.target.value); });
  $('#editor').addEventListener('submit', e => e.preventDefault());
  $('#new-meeting').addEventListener('click', async () => {
    const r = await fetch(url('api/new'), { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ date: $('#new-date').value }) });
    const body = await r.json().catch(() => ({ error: r.statusText }));
    if (r.ok) location.search = '?m=' + encodeURIComponent(body.meeting);
    else status('未建立：' + body.error);
  });
  load().then(waitForChanges);
});
