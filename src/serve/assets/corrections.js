// The correction round of the draft minutes (紀錄草稿修正): the day the draft went to the
// members, each member's reply (the day received, the corrections, what was changed) and
// their standing, which the server computes as `packet check` does (回復, 逾期回復,
// 視同無意見 once the deadline passed, 尚未回復). Kept for the file, never published.
import { el, $ } from './dom.js';
import { page, valueAt } from './store.js';
import { send } from './save.js';
import { textField } from './fields.js';

// What the round's part of the form is drawn from: drawn again when it moves.
export function roundShape() {
  const round = page.state.corrections;
  return [valueAt('corrections') !== undefined, (valueAt('corrections.reply') || []).map(r => r.member),
    round ? round.members.map(m => [m.id, m.name, m.reply]) : null];
}

// A member with no reply yet: the day the reply came in starts one.
function newReply(m) {
  const input = el('input', { type: 'text', id: `f-reply-${m.id}-received`, placeholder: '如 2024-09-25',
    'aria-label': `${m.name} 回復日期` });
  input.addEventListener('change', () => {
    const day = input.value.trim();
    if (!day) return;
    // The reply's 修正意見 box comes next, also when Tab (which made this change) has moved
    // on to the next member's row meanwhile: the box is drawn between the two.
    const next = { id: `f-corrections.reply[${(valueAt('corrections.reply') || []).length}].text`, from: [input] };
    document.addEventListener('focusin', e => next.from.push(e.target), { once: true });
    page.focusNext = next;
    send([{ op: 'append', path: 'corrections.reply', fields: { member: m.id, received: day } }]);
  });
  return el('label', { class: 'field', for: input.id }, el('span', { text: '回復日期' }), input);
}

function memberRow(m) {
  const state = el('td', { id: `round-state-${m.id}`, class: 'round-state', 'data-label': '狀態', text: m.state });
  const row = el('tr', { 'data-field': m.reply === null ? null : `corrections.reply[${m.reply}]` },
    el('th', { scope: 'row', text: m.name }), state);
  if (m.reply === null) {
    row.append(el('td', {}, newReply(m)), el('td', { colspan: '2', class: 'hint', text: '填寫回復日期後可登錄修正意見' }));
    return row;
  }
  const q = `corrections.reply[${m.reply}]`;
  const remove = el('button', { type: 'button', text: '刪除此回復', id: `b-${q}-remove`, onclick: () => {
    if ((valueAt(`${q}.text`) || valueAt(`${q}.changed`)) && !confirm(`刪除${m.name}的回復（含已填的修正意見）？`)) return;
    send([{ op: 'remove', path: q }]);
  } });
  row.append(el('td', {}, textField('回復日期', `${q}.received`), remove),
    el('td', {}, textField('修正意見（空白：無修正意見）', `${q}.text`, { multiline: true, optional: true })),
    el('td', {}, textField('處理情形（空白：無）', `${q}.changed`, { multiline: true, optional: true })));
  return row;
}

export function correctionsBox() {
  const box = el('fieldset', { 'data-field': 'corrections' }, el('legend', { text: '紀錄草稿修正（內部留存，不公開）' }),
    el('p', { class: 'hint', text: '會議紀錄草稿送委員表示修正意見：未於期限內回復者視同無意見。此處內容不列入開放資料。' }),
    textField('會議紀錄草稿送達委員之日（如 2024-09-20）', 'corrections.sent', { optional: true }),
    textField('回復期限（空白：依規定之工作日數計算）', 'corrections.deadline', { optional: true }),
    el('p', { id: 'round-deadline', class: 'deadlines', 'aria-live': 'polite' }),
    textField('紀錄定稿之日', 'corrections.final', { optional: true }),
    el('p', { id: 'round-summary', role: 'status' }));
  const round = page.state.corrections;
  if (round) {
    const table = el('table', { class: 'attendance round' },
      el('thead', {}, el('tr', {}, ...['委員', '狀態', '回復日期', '修正意見', '處理情形'].map(t => el('th', { text: t })))));
    table.append(el('tbody', {}, ...round.members.map(memberRow)));
    box.append(table);
  }
  return box;
}

// The round's deadline, summary and each member's standing as the server computed them now.
export function showRound() {
  const round = page.state.corrections;
  const deadline = $('#round-deadline');
  if (deadline) deadline.textContent = round ? `回復期限：${round.deadline_text}` : '';
  const summary = $('#round-summary');
  if (summary) summary.textContent = round ? round.summary : '';
  for (const m of (round ? round.members : [])) {
    const cell = document.getElementById(`round-state-${m.id}`);
    if (cell) cell.textContent = m.state;
  }
}
