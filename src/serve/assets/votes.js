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
    if (valueAt(path) === '記名') box.append(rollCall(p));
  }
  return box;
}

// 記名表決: how each member voted, kept as the lists of ids for_members, against_members and
// abstain_members (the counts, left empty, are counted from them).
const ROLL = [['for_members', '贊成'], ['against_members', '反對'], ['abstain_members', '棄權'], ['', '未投票']];

function rollCall(p) {
  const vote = valueAt(`${p}.vote`) || {};
  const table = el('table', { class: 'attendance', 'data-field': `${p}.vote.roll` },
    el('caption', { class: 'hint', text: '記名表決：各委員的投票（贊成、反對、棄權票數空白時依此計算）' }),
    el('thead', {}, el('tr', {}, el('th', { text: '委員' }), el('th', { text: '投票' }))));
  const body = el('tbody');
  for (const m of page.state.members) {
    const group = `${p}.vote.roll[${m.id}]`;
    const current = (ROLL.find(([list]) => list && (vote[list] || []).includes(m.id)) || [''])[0];
    const radios = el('div', { role: 'radiogroup', 'aria-label': `${m.name} 投票` });
    for (const [list, label] of ROLL) {
      const radio = el('input', { type: 'radio', name: group, value: list, id: `f-${p}-vote-${m.id}-${list || 'none'}`, checked: current === list });
      radio.addEventListener('change', () => send(ROLL.filter(([l]) => l)
        .map(([l]) => ({ op: 'member', path: `${p}.vote.${l}`, member: m.id, on: l === list }))));
      radios.append(el('label', {}, radio, label + ' '));
    }
    body.append(el('tr', {}, el('th', { scope: 'row', text: m.name }), el('td', {}, radios)));
  }
  table.append(body);
  return table;
}
