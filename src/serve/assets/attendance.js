// Who attended: each member's status (出席, 代理 with the delegate's name, 請假, 缺席) and
// the 不記名 / 不公開 ticks.
import { el } from './dom.js';
import { page, valueAt } from './store.js';
import { send } from './save.js';
import { listField } from './fields.js';

const STATUS = [['present', '出席'], ['delegate', '代理'], ['leave', '請假'], ['none', '缺席']];

export function attendanceStatus(id) {
  const a = valueAt('minutes.attendance') || {};
  if ((a.present || []).includes(id)) return 'present';
  if (a.delegate && id in a.delegate) return 'delegate';
  if ((a.leave || []).includes(id)) return 'leave';
  return 'none';
}

export function attendanceBox() {
  const partial = valueAt('minutes.attendance.roll') === 'partial';
  const box = el('fieldset', { 'data-field': 'minutes.attendance' }, el('legend', { text: '出席情形' }));
  const roll = el('select', { name: 'minutes.attendance.roll', id: 'f-roll', 'data-path': 'minutes.attendance.roll' },
    el('option', { value: 'complete', text: '完整（未列者為缺席）' }), el('option', { value: 'partial', text: '部分（未列者為未記錄）' }));
  roll.value = partial ? 'partial' : 'complete';
  roll.addEventListener('change', () => send([{ op: 'set', path: 'minutes.attendance.roll', value: roll.value === 'partial' ? 'partial' : null }]));
  box.append(el('label', { class: 'field', for: 'f-roll' }, el('span', { text: '出席紀錄' }), roll));
  // Most members attend: one press marks every member still 缺席 (or 未記錄) present; a
  // recorded leave or delegate (with the delegate's name) is kept.
  const everyone = el('button', { type: 'button', id: 'b-all-present', text: '全部出席', 'aria-describedby': 'all-present-hint',
    onclick: () => {
      const ops = page.state.members.filter(m => attendanceStatus(m.id) === 'none')
        .map(m => ({ op: 'attendance', member: m.id, status: 'present', delegate: '' }));
      if (ops.length) send(ops);
    } });
  box.append(el('p', { class: 'actions' }, everyone,
    el('span', { id: 'all-present-hint', class: 'hint', text: '標為缺席（或未記錄）的委員都改為出席；已記錄請假或代理的不變' })));
  const table = el('table', { class: 'attendance' },
    el('thead', {}, el('tr', {}, ...['委員', '出席狀態', '代理人', '不記名', '不公開'].map(t => el('th', { text: t })))));
  const body = el('tbody');
  for (const m of page.state.members) {
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
    // data-label: the column's name, shown in the cell where the table reads as blocks (200% zoom).
    body.append(el('tr', { 'data-field': `member.${m.id}` }, el('th', { text: m.name, scope: 'row' }), el('td', {}, radios),
      el('td', { 'data-label': '代理人' }, delegate), el('td', { 'data-label': '不記名' }, flag('anonymous', '不記名')),
      el('td', { 'data-label': '不公開' }, flag('private', '不公開'))));
  }
  table.append(body);
  box.append(table, listField('列席者（每行一位或一個單位）', 'minutes.attendance.observers', { kind: 'lines' }));
  return box;
}

