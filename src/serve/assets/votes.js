// An item's 利益迴避 (members who withdrew, each with the reason) and 表決 (the method,
// the counts, the result): `[[…recusal]]` and `[…vote]` of the item.
import { el } from './dom.js';
import { page, valueAt } from './store.js';
import { send } from './save.js';
import { labelled, textField, choiceField } from './fields.js';

const memberChoices = () => page.state.members.map(m => [m.id, `${m.name}（${m.title || m.kind}）`]);

export function recusalBox(p, name) {
  const recusals = valueAt(`${p}.recusal`) || [];
  const box = el('div', { 'data-field': `${p}.recusal` }, el('h4', { text: '利益迴避' }));
  recusals.forEach((_, k) => {
    const q = `${p}.recusal[${k}]`;
    box.append(el('div', { class: 'opinion', 'data-field': q, role: 'group', 'aria-label': `利益迴避 ${k + 1}` },
      choiceField('迴避委員', `${q}.member`, memberChoices()),
      textField('迴避事由（如 擔任本案受託廠商之顧問）', `${q}.reason`),
      el('button', { type: 'button', text: '刪除此迴避', id: `b-${q}-remove`, onclick: () => {
        page.focusNext = { id: `f-${p}.recusal.add`, from: document.activeElement };
        send([{ op: 'remove', path: q }]);
      } })));
  });
  const pick = el('select', { id: `f-${p}.recusal.add`, name: `${p}.recusal.add`, 'aria-label': `${name} 要新增迴避的委員` },
    ...memberChoices().map(([value, text]) => el('option', { value, text })));
  box.append(labelled('迴避的委員', pick), el('button', { type: 'button', text: '新增利益迴避', id: `b-${p}-add-recusal`,
    onclick: () => {
      if (!pick.value) return;
      page.focusNext = { id: `f-${p}.recusal[${recusals.length}].reason`, from: document.activeElement };
      send([{ op: 'append', path: `${p}.recusal`, fields: { member: pick.value, reason: '' } }]);
    } }));
  return box;
}

const METHODS = [['', '（未表決）'], ['舉手', '舉手表決'], ['投票', '投票表決'], ['記名', '記名表決']];

// The method decides whether the item was voted on: （未表決） removes the whole vote.
export function voteBox(p) {
  const path = `${p}.vote.method`;
  const box = el('div', { 'data-field': `${p}.vote` }, el('h4', { text: '表決' }));
  const method = el('select', { name: path, id: `f-${path}`, 'data-path': path, 'data-optional': 'true' },
    ...METHODS.map(([value, text]) => el('option', { value, text })));
  method.addEventListener('change', () => send([method.value
    ? { op: 'set', path, value: method.value } : { op: 'remove', path: `${p}.vote` }]));
  box.append(labelled('表決方式', method));
  if (valueAt(`${p}.vote`)) {
    box.append(
      textField('贊成', `${p}.vote.for`, { number: true }),
      textField('反對', `${p}.vote.against`, { number: true }),
      textField('棄權（空白為 0）', `${p}.vote.abstain`, { number: true }),
      choiceField('表決結果', `${p}.vote.result`, [['', '（依票數：贊成多於反對為通過）'], ['通過', '通過'], ['不通過', '不通過']]));
  }
  return box;
}
