// The form as a whole: drawn from the state, its values refreshed, the findings placed
// beside their fields.
import { $, el, plain, fieldLabel } from './dom.js';
import { page, valueAt } from './store.js';
import { send } from './save.js';
import { textField, selectField, LIST_KINDS } from './fields.js';
import { itemBox, newItem, uploadField, showLeftOut } from './items.js';
import { attendanceBox, attendanceStatus } from './attendance.js';
import { rosterBox, settingsBox } from './group.js';
import { correctionsBox, roundShape } from './corrections.js';
import { part } from './sections.js';

// The form, drawn again only when its page.shape changes (items, opinions, roster); otherwise
// only the values of fields not being edited are refreshed.
export function shapeOf() {
  const items = sec => (valueAt(sec) || []).map(it => [
    (it.opinion || []).map(o => (o.member ? 'm' : 'u')).join(''),
    (it.progress || []).map(r => r.id), (it.tracking || []).length,
    (it.attachment || []).map(a => a.file), it.track === true,
    (it.recusal || []).length,
    it.vote ? [it.vote.method, it.vote.for_members, it.vote.against_members, it.vote.abstain_members] : null]);
  const roster = (valueAt('member', page.state.group) || []).length;
  return JSON.stringify([items('report'), items('discussion'), items('minutes.motion'), page.state.members.map(m => [m.id, m.name, m.title, m.kind]),
    valueAt('minutes.attendance.roll'), roster, valueAt('rules.set', page.state.group), (page.state.open || []).map(o => o.id), roundShape()]);
}

// A new item: the group's 幕僚單位 reports and proposes unless told otherwise; a 臨時動議's

// The parts of the form in the order of the minutes (sections.js: the nav and the views).
function parts() {
  const items = (section, id, title, phase) => {
    const list = valueAt(section) || [];
    // 新增 comes first in its part: from the nav link, one Tab reaches it.
    const box = part(id, title, phase, { 'data-field': section },
      el('button', { type: 'button', text: `新增${title}`, id: `b-${section}-add`,
        onclick: () => { page.focusNext = { id: `f-${section}[${list.length}].unit`, from: document.activeElement }; send([{ op: 'append', path: section, fields: newItem(section) }]); } }));
    list.forEach((_, i) => box.append(itemBox(section, i, list.length)));
    return box;
  };
  const out = [
    part('basics', '基本資料', 'before', {}, el('fieldset', {}, el('legend', { text: '會議資料' }),
      textField('第幾次會議', 'number', { number: true }),
      textField('日期（如 2024-04-29 或 113-04-29）', 'date'),
      el('p', { id: 'deadlines', class: 'deadlines', 'aria-live': 'polite' }),
      textField('時間（如 14:30）', 'time'),
      textField('地點', 'place'),
      selectField('主席', 'chair', '（未指定）'))),
    part('record', '出席與紀錄', 'after', {}, el('fieldset', { 'data-field': 'minutes' }, el('legend', { text: '會議紀錄' }),
      textField('開始時間（預設為會議時間）', 'minutes.start', { optional: true }),
      textField('散會時間（填寫後紀錄不再是草稿）', 'minutes.end', { optional: true }),
      selectField('代理主席（與會議主席不同時）', 'minutes.chair', '（同會議主席）'),
      textField('紀錄', 'minutes.recorder', { optional: true }),
      textField('逐字紀錄網址', 'minutes.transcript', { optional: true }),
      textField('主席致詞（空白印為 略）', 'minutes.opening', { multiline: true, optional: true })), attendanceBox()),
    items('report', 'report', '報告事項', 'both'),
    items('discussion', 'discussion', '討論事項', 'both'),
    items('minutes.motion', 'motion', '臨時動議', 'after'),
    part('images', '附件圖片', 'before', { 'data-field': 'attachments' },
      el('p', { class: 'hint', text: '附件文字檔中引用的圖片：存入本次會議的附件資料夾，不列為附件。' }),
      uploadField('attachments', 'f-upload-image', '上傳圖片（png、jpg、gif、webp、svg）', null)),
    part('sending', '通知與寄送', 'before', {},
      el('p', { class: 'hint', text: '開會通知單、簽到表與行事曆邀請在預覽上方下載。' }),
      textField('議程及會議資料送達委員之日（如 2024-04-22）', 'dates.materials_sent', { optional: true })),
    part('corrections', '紀錄草稿與修正', 'after', {},
      ...otherDraftDate(), correctionsBox()),
    part('publish', '公開', 'after', {},
      el('p', { class: 'hint', text: '會議資料、紀錄與委員名單的開放資料包在預覽上方下載，上傳至機關網站並於政府資料開放平臺登載。' }),
      textField('公開於政府資料開放平臺之日', 'dates.published', { optional: true })),
  ];
  if (page.state.group) out.push(part('group', '委員名冊與小組設定', 'both', {}, rosterBox(), settingsBox()));
  // A settings file another program left unreadable: the part stays, saying where to repair it.
  else if (page.state.group_error) {
    out.push(part('group', '委員名冊與小組設定', 'both', {},
      el('p', { class: 'error', id: 'group-error', role: 'alert', text: `小組設定檔無法讀取：${page.state.group_error}` }),
      el('p', { class: 'hint', text: '請以原先編輯此檔的程式修正該行並存檔，本頁會自動重新讀取。' })));
  }
  return out;
}

// Sending the draft minutes is one act, with one field: the round's (below). A day a record
// holds in the meeting's dates as well (an older file, a text editor) is shown, not edited:
// the deadline is counted from the round's day, and two different days are a finding here.
function otherDraftDate() {
  const other = valueAt('dates.draft_minutes_sent');
  if (!other) return [];
  const text = `檔案中另記有會議紀錄草稿送達委員之日 ${other}（此處不能修改）：下方未填時期限依此計算；與下方的日期不同時列為檢查結果。`;
  return [el('p', { class: 'hint', id: 'other-draft-date', 'data-field': 'dates.draft_minutes_sent', 'aria-label': '另記的會議紀錄草稿送達委員之日', text })];
}

export function drawForm() {
  const form = $('#editor');
  const active = document.activeElement;
  const focusedId = active && active.id;
  const focused = active && active.name;
  // The text field being typed in moves into the field drawn anew, caret and all: its
  // text may be newer than the page.state just read (typed since, or sent and not yet written).
  const typing = !page.reshow && isTextField(active) && active.dataset.path !== undefined
    ? { value: active.value, saved: active.dataset.saved, start: active.selectionStart, end: active.selectionEnd } : null;
  form.replaceChildren();
  if (page.state.doc === null) {
    form.append(el('p', { text: '這次會議的資料檔目前無法讀取；請依下列訊息修正檔案，存檔後此頁會自動更新。' }));
    return;
  }
  form.append(el('div', { id: 'general-findings', 'data-field': '' }), ...parts());
  // Keep the keyboard where it was: the same input, found by id (or name), drawn anew.
  // Check boxes and radios share names: only their id finds the same one again.
  const byName = focused && form.querySelector(`[name="${CSS.escape(focused)}"]`);
  const again = (focusedId && document.getElementById(focusedId))
    || (byName && !['checkbox', 'radio'].includes(byName.type) ? byName : null);
  // A button's next focus, unless the person has moved on since pressing it.
  const next = page.focusNext && ([].concat(page.focusNext.from).includes(active) || active === document.body || !active)
    ? document.getElementById(page.focusNext.id) : null;
  const target = next || again;
  page.focusNext = null;
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

export function fillValues() {
  for (const input of document.querySelectorAll('#editor [data-path]')) {
    const v = valueAt(input.dataset.path, input.dataset.file === 'group' ? page.state.group : page.state.doc);
    if (input.dataset.check) {
      input.checked = v === undefined || v === null ? input.dataset.default === 'true' : v === true;
      continue;
    }
    const kind = input.dataset.list;
    const text = v === undefined || v === null ? '' : Array.isArray(v) ? LIST_KINDS[kind || 'words'].show(v) : String(v);
    // The field in use keeps what it shows (its own save brings the file up to it), unless
    // another tab overwrote it (`force`, with a notice).
    if (input === document.activeElement && isTextField(input) && input.dataset.saved !== undefined && !input.dataset.force && !page.reshow) continue;
    // A value refused at this field stays as typed (the file still holds the old one),
    // until it is typed anew or another save of the field lands.
    const refused = page.refused.get(input.name);
    if (refused && input.value === refused.value && !input.dataset.force && !page.reshow) { input.dataset.saved = refused.value; continue; }
    if (refused) page.refused.delete(input.name);
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
  for (const m of page.state.members) {
    const delegate = document.getElementById(`f-delegate-${m.id}`);
    if (delegate) delegate.disabled = attendanceStatus(m.id) !== 'delegate';
  }
  showLeftOut();
  page.reshow = false;
}

// Each finding beside the field it names, or the nearest enclosing part of the form.
export function showFindings() {
  for (const f of document.querySelectorAll('#editor .finding')) f.remove();
  for (const input of document.querySelectorAll('#editor [aria-invalid]')) { input.removeAttribute('aria-invalid'); input.removeAttribute('aria-describedby'); }
  for (const summary of document.querySelectorAll('#editor summary[data-count]')) delete summary.dataset.count;
  const general = $('#general-findings');
  const refused = [...page.refused].map(([field, r]) => ({ field, severity: 'error', message: '未儲存：' + r.message, refused: true }));
  for (const f of [...refused, ...page.state.findings]) {
    let field = f.field || '';
    if (f.file === 'group.toml' && field && !f.refused) field = `group.${field}`;
    let target = null;
    while (field && !(target = document.querySelector(`#editor [data-field="${CSS.escape(field)}"]`))) {
      // The enclosing part: one step up; a top-level field with no part of its own goes to the top.
      const up = field.replace(/(\[[^\]]*\]|\.[^.[]*)$/, '');
      field = up === field ? '' : up;
    }
    // In its part of the form the message says enough; only at the top does it name the
    // field, by its label. The line is its tooltip, for whoever opens the file.
    const placed = target && field;
    const label = placed || !f.field ? '' : fieldLabel(f.field, f.file);
    const p = el('p', { class: `finding sev-${f.severity}${f.refused ? ' refused' : ''}`, 'data-finding-for': f.field,
      title: f.line ? `${f.file === 'group.toml' ? '小組設定檔' : '會議資料檔'}第 ${f.line} 行` : '',
      text: label ? `${label}：${plain(f.message)}` : plain(f.message) });
    // A refused value: its input is marked invalid and described by the message.
    const input = f.refused && document.querySelector(`#editor [name="${CSS.escape(f.field)}"]`);
    if (input) {
      p.id = 'refused-' + input.id;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', p.id);
    }
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

// The meeting's three working-day deadlines beside its date; 暫定 where a date was counted
// on a year without an official office calendar (install it with packet calendar add).
export function showDeadlines() {
  const line = $('#deadlines');
  if (!line) return;
  const d = page.state.deadlines;
  if (!d) { line.textContent = ''; return; }
  const mark = key => (d.provisional[key] ? '（暫定）' : '');
  // What was done by each deadline, as the server counts it today (the check's dates).
  const acts = page.state.deadline_acts || [];
  const done = (key, verb) => {
    const a = acts.find(x => x.key === key);
    if (!a) return '';
    if (a.done) return `（已於 ${a.done} ${verb}${a.late ? '，晚於期限' : ''}）`;
    return a.overdue ? '（已逾期，尚未記錄）' : '';
  };
  const parts = [['materials_due', '會議資料送達委員', '送達'], ['draft_minutes_due', '紀錄草稿送達委員', '送達'], ['publication_due', '公開於政府資料開放平臺', '公開']]
    .map(([key, what, verb]) => `${what}：${d[key]}${mark(key)}${done(key, verb)}`);
  let text = '期限　' + parts.join('；');
  if (d.provisional_years.length) text += `。暫定：${d.provisional_years.join('、')} 年尚無官方辦公日曆表，公布後請安裝`;
  line.textContent = text;
}
