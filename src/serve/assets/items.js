// The agenda's items (報告事項, 討論事項, 臨時動議): each with its opinions, attachments and
// 列管 rows.
import { el, NUMERALS, status, failure, plain } from './dom.js';
import { page, url, valueAt, unitKept, anchorsOf, baseOf } from './store.js';
import { busy, send, reloadForm } from './save.js';
import { labelled, textField, listField, choiceField, checkField, memberOptions } from './fields.js';
import { recusalBox, voteBox } from './votes.js';
import { phase } from './sections.js';

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
  box.append(el('p', { class: 'hint left-out', 'data-opinion': p, hidden: true }));
  box.append(el('button', { type: 'button', text: '刪除此意見', id: `b-${p}-remove`, onclick: () => {
    if (valueAt(`${p}.text`) && !confirm('刪除此意見（含已填的發言內容）？')) return;
    page.focusNext = { id: `b-${itemPath}-add-opinion`, from: document.activeElement };
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
      el('p', { text: a.file.replace(/^attachments\//, '') }),
      textField('標示（如 附件1；空白時自動編號）', `${q}.label`, { optional: true }),
      textField('標題', `${q}.title`, { optional: true }),
      ...attachmentOptions(a, q),
      el('button', { type: 'button', text: '上移', disabled: k === 0, 'aria-label': `附件 ${k + 1} 上移`, id: `b-${q}-up`,
        onclick: () => { page.focusNext = { id: `b-${p}.attachment[${k - 1}]-${k - 1 > 0 ? 'up' : 'remove'}`, from: document.activeElement }; send([{ op: 'move', path: q, by: -1 }]); } }),
      el('button', { type: 'button', text: '自此案移除（檔案保留）', id: `b-${q}-remove`, onclick: () => {
        if (!confirm(`自此案移除 ${a.file.replace(/^attachments\//, '')}？（檔案仍留在本次會議的附件資料夾）`)) return;
        page.focusNext = { id: `f-${p}.upload`, from: document.activeElement };
        send([{ op: 'remove', path: q }]);
      } })));
  });
  attachments.append(uploadField(`${p}.attachment`, `f-${p}.upload`, '上傳附件（PDF、Word、簡報、試算表、圖片或文字檔）', p));
  return attachments;
}

// A file input that sends the chosen file to the meeting's attachments/; with `item`, the
// file is listed on that item too. A refused file is said beside the control (until closed
// or another file is sent) and the control is emptied, ready for the next choice.
export function uploadField(name, id, label, item) {
  const upload = el('input', { type: 'file', name, id, accept: '.pdf,.docx,.doc,.odt,.rtf,.pptx,.odp,.xlsx,.ods,.csv,.md,.png,.jpg,.jpeg,.gif,.webp,.svg' });
  const box = el('div', { class: 'upload', 'data-upload': id }, el('label', { class: 'field', for: id }, el('span', { text: label }), upload));
  upload.addEventListener('change', () => busy(async () => {
    const file = upload.files[0];
    if (!file) return;
    status('上傳中…');
    // The item and the file as this tab saw them: the file is listed on that item.
    const fp = item ? (anchorsOf(item).pop() || {}).fp : null;
    try {
      const r = await fetch(url('api/upload', { m: page.meeting, item, name: file.name, fp, base: item ? baseOf() : null }), {
        method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'X-Packet-Upload': '1' }, body: file });
      const body = await r.json().catch(() => ({ error: failure(r) }));
      if (r.ok) page.uploadErrors.delete(id);
      else page.uploadErrors.set(id, `未上傳「${file.name}」：${plain(body.error)}`);
      status(r.ok ? '已上傳' : '未上傳');
    } catch {
      page.uploadErrors.set(id, `未上傳「${file.name}」：無法連上編輯器，請確認編輯器仍在執行後再選一次檔案`);
      status('未上傳');
    }
    upload.value = '';
    showUploadError(box);
    await reloadForm();
    const again = document.getElementById(id);
    if (again && page.uploadErrors.has(id)) again.focus();
  }));
  showUploadError(box);
  return box;
}

function showUploadError(box) {
  const id = box.dataset.upload;
  const input = box.querySelector('input[type=file]');
  for (const old of box.querySelectorAll('.upload-refused')) old.remove();
  input.removeAttribute('aria-describedby');
  const message = page.uploadErrors.get(id);
  if (!message) return;
  const p = el('p', { class: 'upload-refused', id: `err-${id}`, role: 'alert' }, el('span', { text: message }),
    el('button', { type: 'button', class: 'close', text: '關閉', onclick: () => {
      page.uploadErrors.delete(id);
      showUploadError(box);
      input.focus();
    } }));
  box.append(p);
  input.setAttribute('aria-describedby', p.id);
}

const ADVICE = [['', '（不列建議）'], ['解除列管', '建議解除列管'], ['繼續列管', '建議繼續列管']];
const RESULT = [['', '依列管建議（無建議時仍列管）'], ['解除列管', '解除列管'], ['繼續列管', '繼續列管']];

// The tracking item: one row per decision still 列管 (its 辦理情形, 列管建議 and what the
// page.meeting decided), each shown with the decision it answers; rows missing from the file
// are added from the series' open decisions.
function progressBox(p) {
  const progress = valueAt(`${p}.progress`) || [];
  const open = page.state.open || [];
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
        page.focusNext = { id: `f-${p}.progress.add`, from: document.activeElement };
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
        page.focusNext = { id: `f-${p}.progress[${progress.length}].status`, from: document.activeElement };
        send([{ op: 'append', path: `${p}.progress`, fields: { id: pick.value, status: '' } }]);
      } }));
  }
  return rows;
}

// 辦理情形 rows typed by hand, for a series whose earlier minutes are not in packet.
function trackingRowsBox(p) {
  const rows = valueAt(`${p}.tracking`) || [];
  const box = el('details', { 'data-field': `${p}.tracking`, open: rows.length > 0 },
    el('summary', { text: `列管事項（手寫，前次會議紀錄不在此系列時使用）：${rows.length} 列` }));
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
        page.focusNext = { id: `b-${p}-tracking-add`, from: document.activeElement };
        send([{ op: 'remove', path: q }]);
      } })));
  });
  box.append(el('button', { type: 'button', text: '新增列管事項列', id: `b-${p}-tracking-add`, onclick: () => {
    page.focusNext = { id: `f-${p}.tracking[${rows.length}].from`, from: document.activeElement };
    send([{ op: 'append', path: `${p}.tracking`, fields: { from: '討論事項', title: '', decision: '' } }]);
  } }));
  return box;
}

const SECTIONS = {
  report: { name: '報告事項', unit: '報告單位', decision: '決定' },
  discussion: { name: '討論事項', unit: '提案單位', decision: '決議' },
  'minutes.motion': { name: '臨時動議', unit: '提案單位（或提案人）', decision: '決議' },
};

export function itemBox(section, i, count) {
  const p = `${section}[${i}]`;
  const kind = SECTIONS[section];
  const name = `${kind.name} 第${NUMERALS[i + 1] || i + 1}案`;
  const box = el('fieldset', { class: 'item', 'data-field': p }, el('legend', { text: name }));
  // After a move the keyboard stays on the moved item, on a button that can be pressed again.
  const moveTo = k => `b-${section}[${k}]-${k === 0 ? 'down' : k === count - 1 ? 'up' : 'up'}`;
  // Before the meeting: order, title and materials; after it: what was said and decided.
  // (A 臨時動議 is all after the meeting.)
  const before = e => (section === 'minutes.motion' ? e : phase('before', e));
  const after = e => (section === 'minutes.motion' ? e : phase('after', e));
  const moves = el('div', { class: 'moves' },
    el('button', { type: 'button', text: '上移', disabled: i === 0, 'aria-label': `${name} 上移`, id: `b-${p}-up`,
      onclick: () => { page.focusNext = { id: moveTo(i - 1), from: document.activeElement }; send([{ op: 'move', path: p, by: -1 }]); } }),
    el('button', { type: 'button', text: '下移', disabled: i === count - 1, 'aria-label': `${name} 下移`, id: `b-${p}-down`,
      onclick: () => { page.focusNext = { id: i + 1 === count - 1 ? `b-${section}[${i + 1}]-up` : `b-${section}[${i + 1}]-down`, from: document.activeElement }; send([{ op: 'move', path: p, by: 1 }]); } }),
    el('button', { type: 'button', text: '刪除', 'aria-label': `刪除${name}`, id: `b-${p}-remove`, onclick: () => {
      if (!confirm(`刪除${name}？`)) return;
      page.focusNext = { id: `b-${section}-add`, from: document.activeElement };
      send([{ op: 'remove', path: p }]);
    } }));
  box.append(before(moves),
    textField(kind.unit, `${p}.unit`),
    textField('案由', `${p}.title`),
    before(textField('說明（1. 2. 印為 一、二、）', `${p}.explanation`, { multiline: true, optional: true })),
  );
  if (section !== 'minutes.motion') {
    box.append(before(attachmentsBox(p)));
    box.append(before(checkField('本案為「上次會議決定（議）事項辦理情形」：表格由前次會議紀錄產生', `${p}.track`)));
    if (valueAt(`${p}.track`) === true || (valueAt(`${p}.progress`) || []).length) box.append(progressBox(p));
    else if (section === 'report') box.append(trackingRowsBox(p));
  }
  const opinions = valueAt(`${p}.opinion`) || [];
  const list = el('div', { 'data-field': `${p}.opinion` }, el('h4', { text: '委員意見' }));
  opinions.forEach((_, j) => list.append(opinionBox(p, j)));
  list.append(el('button', { type: 'button', text: '新增意見', 'aria-label': `${name} 新增意見`, id: `b-${p}-add-opinion`,
    onclick: () => { page.focusNext = { id: `f-${p}.opinion[${opinions.length}].member`, from: document.activeElement }; send([{ op: 'append', path: `${p}.opinion`, fields: { text: '' } }]); } }));
  box.append(...[list, recusalBox(p, name), voteBox(p), textField(kind.decision, `${p}.decision`, { multiline: true, optional: true })].map(after));
  return box;
}

// A new item: the group's 幕僚單位 reports and proposes unless told otherwise; a 臨時動議's
// proposer (a unit or a member) is typed.
export function newItem(section) {
  if (section === 'minutes.motion') return { unit: '', title: '' };
  return { unit: (page.state.group && page.state.group.unit) || '', title: '' };
}

// Beside an opinion whose speaker is ticked 不公開 or 不記名 (出席情形): what the public
// minutes do with it, as the file has the ticks now.
export function showLeftOut() {
  for (const note of document.querySelectorAll('#editor .left-out')) {
    const member = valueAt(`${note.dataset.opinion}.member`);
    const ticked = list => Boolean(member) && (valueAt(`minutes.${list}`) || []).includes(member);
    const text = ticked('private') ? '不公開：不列入公開版紀錄' : ticked('anonymous') ? '不記名：紀錄以「委員甲」等代稱，不列姓名' : '';
    note.textContent = text;
    note.hidden = !text;
  }
}
