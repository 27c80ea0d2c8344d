// The series' group.toml: the roster and the group's own settings.
import { el } from './dom.js';
import { page, valueAt } from './store.js';
import { send } from './save.js';
import { textField, choiceField, checkField, listField } from './fields.js';

// The roster: group.toml's [[member]] tables (inputs named `group.member[3].name`).
export function rosterBox() {
  const box = el('details', { 'data-field': 'group.member', open: page.rosterOpen }, el('summary', { text: '委員名冊' }));
  box.addEventListener('toggle', () => { page.rosterOpen = box.open; });
  const members = valueAt('member', page.state.group) || [];
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
        page.focusNext = { id: 'b-group-member-add', from: document.activeElement };
        send([{ op: 'remove', path: p }], 'group');
      } })));
  });
  box.append(addMemberForm(members.length));
  return box;
}

// 新增委員: a small form; the member is written whole (姓名, 類別, 性別 chosen, never
// assumed) in one edit, so the roster never holds a member the meetings cannot read (the
// server refuses one too). The id is given by the editor, one no other member holds.
// What is typed here survives the form being drawn again (a save elsewhere).
const draft = { open: false, name: '', title: '', organisation: '', kind: '', gender: '' };
const ADD_FIELDS = [
  ['name', '姓名', null],
  ['title', '職稱', null],
  ['organisation', '服務單位', null],
  ['kind', '類別', ['機關代表', '民間代表']],
  ['gender', '性別', ['男', '女', '無', '不公開']],
];
const REQUIRED = { name: '請填寫姓名', kind: '請選擇類別（機關代表或民間代表）', gender: '請選擇性別' };

function addMemberForm(count) {
  const inputs = {};
  const fields = ADD_FIELDS.map(([key, label, options]) => {
    const id = `member-add-${key}`;
    const input = options
      ? el('select', { id }, el('option', { value: '', text: '（請選擇）' }), ...options.map(o => el('option', { value: o, text: o })))
      : el('input', { type: 'text', id });
    input.value = draft[key];
    if (REQUIRED[key]) input.required = true;
    input.addEventListener('input', () => { draft[key] = input.value; });
    inputs[key] = input;
    return el('label', { class: 'field', for: id }, el('span', { text: label + (REQUIRED[key] ? '（必填）' : '') }), input);
  });
  const form = el('fieldset', { id: 'member-add-form', hidden: !draft.open },
    el('legend', { text: '新增委員' }), ...fields,
    el('p', { class: 'hint', text: '類別與性別須先選定：名冊中每位委員都要有，否則各次會議的文件無法產生。代號由編輯器給定，之後可改。' }),
    el('button', { type: 'button', id: 'member-add-save', text: '加入名冊', onclick: () => addMember(inputs, count) }), ' ',
    el('button', { type: 'button', text: '取消', onclick: () => {
      Object.assign(draft, { open: false, name: '', title: '', organisation: '', kind: '', gender: '' });
      form.hidden = true; open.focus();
    } }));
  const open = el('button', { type: 'button', text: '新增委員', id: 'b-group-member-add', 'aria-expanded': String(draft.open),
    'aria-controls': 'member-add-form', onclick: () => {
      draft.open = true; form.hidden = false; open.setAttribute('aria-expanded', 'true'); inputs.name.focus();
    } });
  return el('div', {}, open, form);
}

// Written only whole: what is missing is said at its field, which gets the focus.
function addMember(inputs, count) {
  for (const old of document.querySelectorAll('#member-add-form .finding')) old.remove();
  const values = Object.fromEntries(ADD_FIELDS.map(([key]) => [key, inputs[key].value.trim()]));
  const missing = Object.keys(REQUIRED).filter(key => !values[key]);
  for (const key of Object.keys(inputs)) inputs[key].removeAttribute('aria-invalid');
  for (const key of missing) {
    const p = el('p', { class: 'finding sev-error', id: `member-add-${key}-why`, role: 'alert', text: REQUIRED[key] });
    inputs[key].setAttribute('aria-invalid', 'true');
    inputs[key].setAttribute('aria-describedby', p.id);
    inputs[key].closest('label').append(p);
  }
  if (missing.length) { inputs[missing[0]].focus(); return; }
  Object.assign(draft, { open: false, name: '', title: '', organisation: '', kind: '', gender: '' });
  page.focusNext = { id: `f-group.member[${count}].name`, from: document.activeElement };
  send([{ op: 'append', path: 'member', fields: values }], 'group');
}

// The group's own settings: group.toml's other keys (inputs named `group.agency`, …).
export function settingsBox() {
  const g = { file: 'group' };
  const own = valueAt('rules.set', page.state.group) === 'own';
  const box = el('details', { 'data-field': 'group', open: page.settingsOpen }, el('summary', { text: '小組設定' }));
  box.addEventListener('toggle', () => { page.settingsOpen = box.open; });
  box.append(
    el('fieldset', { 'data-field': 'group.agency' }, el('legend', { text: '機關與小組' }),
      textField('機關名稱', 'agency', g),
      textField('小組名稱', 'name', g),
      textField('幕僚單位', 'unit', { ...g, optional: true }),
      textField('會議名稱格式（可用 {機關} {小組} {年} {次}；空白為預設）', 'title', { ...g, optional: true }),
      choiceField('會議編號（改變時，各次會議的「第幾次」須依新方式改寫）', 'numbering', [['', '每年重新起算（113 年第 1 次）'], ['continuous', '連續編號（第 5 次）'], ['term', '依屆次編號（第 3 屆第 2 次）']], g),
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

// The form, drawn again only when its page.shape changes (items, opinions, roster); otherwise
