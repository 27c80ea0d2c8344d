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

async function send(ops, file) {
  status('儲存中…');
  const r = await fetch(url('api/edit', { m: meeting, file }), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client, ops }),
  });
  if (!r.ok) {
    const body = await r.json().catch(() => ({ error: r.statusText }));
    status('未儲存：' + body.error);
    return;
  }
  status('已儲存');
  await load();
}

// A table attachment's options (CSV, .xlsx, .ods): the line under its title, how many
// header rows, which cells are merged (A1 ranges, e.g. C1:G1) and, for a spreadsheet,
// the sheet and the cells to print. Other attachments have none of these.
function tableOptions(a, q) {
  const kind = (a.file.split('.').pop() || '').toLowerCase();
  if (!['csv', 'xlsx', 'ods'].includes(kind)) return [];
  const fields = [
    textField('副標題（如資料日期）', `${q}.subtitle`, { optional: true }),
    textField('表頭列數', `${q}.header_rows`, { number: true }),
    listField('合併儲存格（如 A1:A2 C1:G1，以空白或逗號分隔）', `${q}.merge`),
  ];
  if (kind !== 'csv') {
    fields.push(textField('工作表', `${q}.sheet`, { optional: true }));
    fields.push(textField('範圍（如 A1:F30）', `${q}.range`, { optional: true }));
  }
  return fields;
}

// A list of words in one text field (space- or comma-separated), saved as a TOML array.
function listField(label, path) {
  const attrs = { name: path, id: 'f-' + path, 'data-path': path, 'data-list': 'true' };
  const input = el('input', { type: 'text', ...attrs });
  const save = () => {
    const value = input.value.split(/[\s,，、]+/).filter(w => w !== '');
    const text = value.join(' ');
    if (text === (input.dataset.saved || '')) return;
    input.dataset.saved = text;
    send([{ op: 'set', path, value }]);
  };
  input.addEventListener('change', save);
  return el('label', { class: 'field', 'data-field': path, for: attrs.id }, el('span', { text: label }), input);
}

// A text field: saved while typing (after a pause) and when left.
function textField(label, path, { multiline = false, optional = false, number = false, placeholder, file } = {}) {
  const attrs = { name: file ? `${file}.${path}` : path, id: 'f-' + (file ? `${file}.` : '') + path, placeholder, 'data-path': path };
  if (file) attrs['data-file'] = file;
  if (optional) attrs['data-optional'] = 'true';
  if (number) attrs['data-number'] = 'true';
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
  return el('label', { class: 'field', 'data-field': path, for: attrs.id }, el('span', { text: label }), input);
}

function memberOptions(select, withEmpty) {
  if (withEmpty) select.append(el('option', { value: '', text: withEmpty }));
  for (const m of state.members) select.append(el('option', { value: m.id, text: `${m.name}（${m.title || m.kind}）` }));
}

function selectField(label, path, emptyLabel) {
  const select = el('select', { name: path, id: 'f-' + path, 'data-path': path, 'data-optional': 'true' });
  memberOptions(select, emptyLabel);
  select.addEventListener('change', () => send([{ op: 'set', path, value: select.value || null }]));
  return el('label', { class: 'field', 'data-field': path, for: select.id }, el('span', { text: label }), select);
}

function opinionBox(itemPath, j) {
  const p = `${itemPath}.opinion[${j}]`;
  const speaker = el('select', { name: `${p}.member`, id: `f-${p}.member`, 'data-path': `${p}.member`, 'data-optional': 'true' });
  memberOptions(speaker, '（列席單位，於下欄填寫）');
  speaker.addEventListener('change', () => {
    const ops = [{ op: 'set', path: `${p}.member`, value: speaker.value || null }];
    if (speaker.value) ops.push({ op: 'set', path: `${p}.unit`, value: null });
    send(ops);
  });
  const box = el('div', { class: 'opinion', 'data-field': p, role: 'group', 'aria-label': `意見 ${j + 1}` },
    el('label', { class: 'field', 'data-field': `${p}.member`, for: speaker.id }, el('span', { text: '發言者（委員）' }), speaker));
  if (!valueAt(`${p}.member`)) box.append(textField('發言單位', `${p}.unit`, { optional: true }));
  box.append(textField('發言內容', `${p}.text`, { multiline: true }));
  box.append(el('button', { type: 'button', text: '刪除此意見', onclick: () => send([{ op: 'remove', path: p }]) }));
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
  box.append(
    el('button', { type: 'button', text: '上移', disabled: i === 0, 'aria-label': `${name} 上移`, onclick: () => send([{ op: 'move', path: p, by: -1 }]) }),
    el('button', { type: 'button', text: '下移', disabled: i === count - 1, 'aria-label': `${name} 下移`, onclick: () => send([{ op: 'move', path: p, by: 1 }]) }),
    el('button', { type: 'button', text: '刪除', 'aria-label': `刪除${name}`, onclick: () => confirm(`刪除${name}？`) && send([{ op: 'remove', path: p }]) }),
    textField(kind.unit, `${p}.unit`, { optional: section === 'minutes.motion' }),
    textField('案由', `${p}.title`),
    textField('說明（Markdown：1. 2. 印為 一、二、）', `${p}.explanation`, { multiline: true, optional: true }),
  );
  // Attachments: title and label of each; a new file is uploaded into the meeting's
  // attachments/ under a clean name and listed on the item.
  const files = valueAt(`${p}.attachment`) || [];
  const attachments = el('div', { 'data-field': `${p}.attachment` }, el('h4', { text: '附件' }));
  files.forEach((a, k) => {
    const q = `${p}.attachment[${k}]`;
    attachments.append(el('div', { class: 'opinion', 'data-field': q, role: 'group', 'aria-label': `附件 ${k + 1}` },
      el('p', { text: a.file }),
      textField('標示（如 附件1）', `${q}.label`, { optional: true }),
      textField('標題', `${q}.title`, { optional: true }),
      ...tableOptions(a, q),
      el('button', { type: 'button', text: '自此案移除（檔案保留）', onclick: () => send([{ op: 'remove', path: q }]) })));
  });
  const upload = el('input', { type: 'file', name: `${p}.attachment`, id: `f-${p}.upload`,
    accept: '.md,.csv,.png,.jpg,.jpeg,.gif,.webp,.svg,.pdf' });
  upload.addEventListener('change', async () => {
    const file = upload.files[0];
    if (!file) return;
    status('上傳中…');
    const r = await fetch(url('api/upload', { m: meeting, item: p, name: file.name }), {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Packet-Upload': '1' }, body: file });
    const body = await r.json().catch(() => ({ error: r.statusText }));
    status(r.ok ? `已上傳 ${body.file}` : '未上傳：' + body.error);
    await load();
  });
  attachments.append(el('label', { class: 'field', for: upload.id }, el('span', { text: '上傳附件（md、csv、圖片、pdf）' }), upload));
  box.append(attachments);
  // The tracking item: 辦理情形 of each decision still 列管 (rows by decision id).
  const progress = valueAt(`${p}.progress`) || [];
  if (progress.length) {
    const rows = el('div', { 'data-field': `${p}.progress` }, el('h4', { text: '列管事項辦理情形' }));
    progress.forEach((row, j) => rows.append(textField(`${row.id} 辦理情形`, `${p}.progress[${j}].status`, { multiline: true })));
    box.append(rows);
  }
  const opinions = valueAt(`${p}.opinion`) || [];
  const list = el('div', { 'data-field': `${p}.opinion` }, el('h4', { text: '委員意見' }));
  opinions.forEach((_, j) => list.append(opinionBox(p, j)));
  list.append(el('button', { type: 'button', text: '新增意見', 'aria-label': `${name} 新增意見`,
    onclick: () => send([{ op: 'append', path: `${p}.opinion`, fields: { text: '' } }]) }));
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
      const radio = el('input', { type: 'radio', name: group, value, id: `f-${m.id}-${value}`, checked: current === value });
      radio.addEventListener('change', () => send([{ op: 'attendance', member: m.id, status: value, delegate: delegate.value }]));
      radios.append(el('label', {}, radio, shown + ' '));
    }
    delegate.addEventListener('change', () => send([{ op: 'attendance', member: m.id, status: 'delegate', delegate: delegate.value }]));
    const flag = (list, label) => {
      const box = el('input', { type: 'checkbox', name: `minutes.${list}`, value: m.id, 'aria-label': `${m.name} ${label}`,
        checked: (valueAt(`minutes.${list}`) || []).includes(m.id) });
      box.addEventListener('change', () => send([{ op: 'member', path: `minutes.${list}`, member: m.id, on: box.checked }]));
      return box;
    };
    body.append(el('tr', { 'data-field': `member.${m.id}` }, el('th', { text: m.name, scope: 'row' }), el('td', {}, radios),
      el('td', {}, delegate), el('td', {}, flag('anonymous', '不記名')), el('td', {}, flag('private', '不公開'))));
  }
  table.append(body);
  box.append(table);
  return box;
}

// The roster: group.toml's [[member]] tables (inputs named `group.member[3].name`).
function rosterBox() {
  const box = el('details', { 'data-field': 'member', open: rosterOpen }, el('summary', { text: '委員名冊（group.toml）' }));
  box.addEventListener('toggle', () => { rosterOpen = box.open; });
  const members = valueAt('member', state.group) || [];
  members.forEach((m, i) => {
    const p = `member[${i}]`;
    const choice = (label, key, options) => {
      const select = el('select', { name: `group.${p}.${key}`, id: `f-group.${p}.${key}`, 'data-path': `${p}.${key}`, 'data-file': 'group' },
        ...options.map(o => el('option', { value: o, text: o })));
      select.addEventListener('change', () => send([{ op: 'set', path: `${p}.${key}`, value: select.value }], 'group'));
      return el('label', { class: 'field', for: select.id }, el('span', { text: label }), select);
    };
    box.append(el('fieldset', { 'data-field': `group.${p}` }, el('legend', { text: m.name || `委員 ${i + 1}` }),
      textField('代號（英數字，出席與發言以此指稱）', `${p}.id`, { file: 'group' }),
      textField('姓名', `${p}.name`, { file: 'group' }),
      textField('職稱', `${p}.title`, { file: 'group' }),
      textField('服務單位', `${p}.organisation`, { file: 'group' }),
      choice('類別', 'kind', ['機關代表', '民間代表']),
      choice('性別', 'gender', ['男', '女']),
      textField('聘期起（民間代表）', `${p}.term_start`, { file: 'group', optional: true }),
      textField('聘期迄', `${p}.term_end`, { file: 'group', optional: true }),
      el('button', { type: 'button', text: '刪除此委員', onclick: () => confirm(`刪除委員 ${m.name}？`) && send([{ op: 'remove', path: p }], 'group') })));
  });
  box.append(el('button', { type: 'button', text: '新增委員',
    onclick: () => send([{ op: 'append', path: 'member', fields: { id: '', name: '', title: '', organisation: '', kind: '民間代表', gender: '女' } }], 'group') }));
  return box;
}

// The form, drawn again only when its shape changes (items, opinions, roster); otherwise
// only the values of fields not being edited are refreshed.
function shapeOf() {
  const items = s => (valueAt(s) || []).map(it => (it.opinion || []).map(o => (o.member ? 'm' : 'u')).join('') + '/' + (it.progress || []).length + '/' + (it.attachment || []).length);
  const roster = (valueAt('member', state.group) || []).length;
  return JSON.stringify([items('report'), items('discussion'), items('minutes.motion'), state.members.map(m => m.id), valueAt('minutes.attendance.roll'), roster]);
}

function drawForm() {
  const form = $('#editor');
  const focusedId = document.activeElement && document.activeElement.id;
  const focused = document.activeElement && document.activeElement.name;
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
    box.append(el('button', { type: 'button', text: `新增${title}`,
      onclick: () => send([{ op: 'append', path: section, fields: { unit: '', title: '' } }]) }));
    form.append(box);
  }
  form.append(attendanceBox());
  if (state.group) form.append(rosterBox());
  form.append(el('fieldset', { 'data-field': 'minutes' }, el('legend', { text: '會議紀錄' }),
    textField('開始時間（預設為會議時間）', 'minutes.start', { optional: true }),
    textField('散會時間', 'minutes.end', { optional: true }),
    textField('紀錄', 'minutes.recorder', { optional: true })));
  // Keep the keyboard where it was: the same input, found by id (or name), drawn anew.
  const again = (focusedId && document.getElementById(focusedId))
    || (focused && form.querySelector(`[name="${CSS.escape(focused)}"]`));
  if (again && again.type !== 'checkbox') again.focus();
}

function fillValues() {
  for (const input of document.querySelectorAll('#editor [data-path]')) {
    const v = valueAt(input.dataset.path, input.dataset.file === 'group' ? state.group : state.doc);
    const text = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(' ') : String(v);
    const typing = input === document.activeElement && input.dataset.saved !== undefined && input.value !== input.dataset.saved;
    if (typing && !input.dataset.force) continue;
    delete input.dataset.force;
    if (input.tagName === 'SELECT' && input.dataset.path.endsWith('.roll')) continue;
    input.value = text;
    input.dataset.saved = text;
  }
}

// Each finding beside the field it names, or the nearest enclosing part of the form.
function showFindings() {
  for (const f of document.querySelectorAll('#editor .finding')) f.remove();
  const general = $('#general-findings');
  for (const f of state.findings) {
    let field = f.field || '';
    let target = null;
    while (field && !(target = document.querySelector(`#editor [data-field="${CSS.escape(field)}"]`))) {
      field = field.replace(/(\[[^\]]*\]|\.[^.[]*)$/, '');
    }
    const where = f.line ? `${f.file || ''}:${f.line}：` : '';
    const p = el('p', { class: `finding ${f.severity}`, 'data-finding-for': f.field, text: `${where}${f.field ? f.field + '：' : ''}${f.message}` });
    if (target && field) target.append(p);
    else if (general) general.append(p);
    else $('#editor').append(p);
  }
}

async function load() {
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
      if (p.errors.length) continue;  // keep the last good pages
      const pages = $('#pages');
      p.pages.forEach((hash, n) => {
        let img = pages.children[n];
        if (!img) { img = el('img', { alt: `第 ${n + 1} 頁` }); pages.append(img); }
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
