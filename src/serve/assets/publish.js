// Publication: what stands between the meeting and a correct publication on the open-data
// platform (api/state's `publication`: the minutes not final, the group's settings the
// bundle refuses or warns about, the deadline), those settings typed here, the bundle's
// link, what to do after the download, and the internal edition of the minutes.
// Its links sit in the preview's toolbar, so a download saves what was typed first (main.js).
import { $, el, plain } from './dom.js';
import { page, url, valueAt } from './store.js';
import { send, typing, typedSent } from './save.js';

// The settings typed here: [field path, file, label, placeholder]. The same fields as the
// group's settings in the form; their findings are shown beside them here too.
const SETTINGS = [
  ['open_data.publisher_oid', 'group', '機關 OID（2.16.886. 開頭）', '例：2.16.886.101.20003'],
  ['open_data.base_url', 'group', '檔案存放網址（機關網站上存放資料包檔案的資料夾）', '例：https://www.example.gov.tw/opendata/'],
  ['open_data.listed', 'group', '資料集上架日期（第一次上架之日）', '例：2020-03-01'],
  ['contact.name', 'group', '提供機關聯絡人', ''],
  ['contact.phone', 'group', '聯絡人電話', ''],
  ['contact.email', 'group', '聯絡人電子郵件', ''],
  ['dates.published', null, '本次會議資料公開於平臺之日', '例：2024-05-10'],
];

const idOf = path => 'pub-' + path.replace(/[^a-z_]/g, '-');

// One setting: saved after a pause in typing and when left, like the form's fields.
function settingField([path, file, label, placeholder]) {
  const input = el('input', { type: 'text', id: idOf(path), placeholder, 'data-publication': path });
  let timer = null;
  const save = () => {
    clearTimeout(timer); timer = null;
    typedSent(save);
    delete input.dataset.typing;
    const value = input.value.trim();
    if (value === (input.dataset.saved || '')) return;
    input.dataset.saved = value;
    send([{ op: 'set', path, value: value === '' ? null : value }], file || undefined);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer); timer = setTimeout(save, 500); typing(save);
    input.dataset.typing = 'true';  // not sent yet: a reload meanwhile leaves it as typed
  });
  input.addEventListener('change', save);
  return el('label', { class: 'field', for: input.id, 'data-publication-field': path },
    el('span', { text: label }), input);
}

// Drawn once; showPublication() refreshes it after every load. The check comes before
// the bundle's link; it is folded until opened (its summary says how many things stand
// in the way), and opens by itself when the link is pressed too early.
function skeleton() {
  const box = el('details', { id: 'publication-box', open: page.publicationOpen },
    el('summary', { id: 'publication-summary', text: '公開於政府資料開放平臺' }),
    el('p', { id: 'publication-due', class: 'deadlines' }),
    el('div', { id: 'publication-todo', role: 'status' }),
    el('fieldset', {}, el('legend', { text: '公開所需的小組設定' }), ...SETTINGS.map(settingField)),
    el('h3', { text: '下載之後：上傳與登錄' }),
    el('ol', { id: 'publication-steps' }));
  box.addEventListener('toggle', () => { page.publicationOpen = box.open; if (box.open) checkSeries(); });
  const bundle = el('a', { id: 'bundle', href: '#', download: true, text: '下載本次會議資料包（zip，供核對）' });
  bundle.addEventListener('click', beforeBundle, true);
  const internal = (id, kind) => el('a', { id, href: '#', download: true, class: 'internal',
    title: '保留聲明不公開委員的發言，每頁標示「內部」；僅供機關存查，不放入開放資料包，請勿上傳或公開',
    text: `下載會議紀錄內部版 ${kind}（內部，不公開）` });
  const series = el('a', { id: 'series-bundle', href: '#', download: true, text: '下載全系列資料集（zip，上傳這一個）' });
  series.addEventListener('click', beforeSeries, true);
  series.addEventListener('downloaded', e => saidAfter(e.detail));
  series.addEventListener('refused', e => seriesRefused(e.detail));
  return el('div', {}, box,
    el('div', { id: 'series-said', role: 'status' }),
    el('p', { class: 'publication-links' }, series),
    el('p', { id: 'series-why', class: 'finding', role: 'alert', tabindex: '-1', hidden: true }),
    el('p', { class: 'publication-links' }, bundle, ' ',
      internal('pdf-minutes-internal', 'PDF'), ' ', internal('odt-minutes-internal', 'ODT')),
    el('p', { id: 'bundle-why', class: 'finding', role: 'alert', tabindex: '-1', hidden: true }));
}

// The whole series' dataset (`packet export <series>`): what goes in, the meetings left
// out and the warnings, as the command would print them, asked of the server while the
// panel is open (api/series: worked out without building anything).
let series = null;
async function checkSeries() {
  try {
    const r = await fetch(url('api/series'));
    const body = await r.json();
    series = r.ok ? body : { refused: body.error, held: [], left_out: [], warnings: [] };
  } catch { return; }
  showSeries();
}

function showSeries() {
  const box = $('#series-said');
  if (!series || !box) return;
  // [text, class]: what goes in, the meetings left out and the warnings, why not.
  const lines = [];
  if (series.held.length) lines.push([`收錄已舉行的 ${series.held.length} 次會議：${series.held.join('、')}`, '']);
  for (const f of [...series.left_out, ...series.warnings]) lines.push([plain(f.message), 'finding sev-warning']);
  if (series.refused) lines.push(['尚不能下載全系列資料集：' + plain(series.refused), 'finding sev-error']);
  box.replaceChildren(el('h3', { text: '全系列資料集（上傳這一個）：下載前檢查' }),
    el('ul', {}, ...lines.map(([text, cls]) => el('li', { class: cls, text }))));
  if (!series.refused) $('#series-why').hidden = true;
}

// Pressed while the series cannot be published: why, beside the link; nothing downloads.
function beforeSeries(e) {
  if (!series || !series.refused) return;
  e.preventDefault();
  e.stopPropagation();
  seriesRefused(series.refused);
}

function seriesRefused(error) {
  const line = $('#series-why');
  line.hidden = false;
  line.textContent = '尚不能下載全系列資料集：' + plain(error);
  line.focus();
}

// Downloaded: what the command line says of it (the meetings left out, the warnings).
function saidAfter(said) {
  let lines;
  try { lines = JSON.parse(decodeURIComponent(said || '%5B%5D')); } catch { lines = []; }
  $('#series-why').hidden = true;
  $('#series-said').replaceChildren(el('h3', { text: lines.length
    ? '已下載全系列資料集。上傳前請留意（與指令列所列相同）：' : '已下載全系列資料集，沒有需要留意的事項。' }),
  el('ul', {}, ...lines.map(text => el('li', { class: 'finding sev-warning', text: plain(text) }))));
}

// Pressed before the minutes are final (or while a setting the bundle needs is wrong):
// the link says why, here where the person is looking, and downloads nothing. With only
// warnings it downloads, and says what to add before the upload.
function beforeBundle(e) {
  const line = $('#bundle-why');
  const why = blockers();
  const p = page.state.publication;
  const warnings = p ? p.settings.filter(f => f.severity !== 'error') : [];
  line.hidden = !why.length && !warnings.length;
  line.classList.toggle('sev-warning', !why.length);
  if (!why.length) {
    line.textContent = '資料包缺少下列設定，請在上方「公開所需的小組設定」補上後再下載；上傳的全系列資料集也缺少這些：' + warnings.map(f => plain(f.message)).join('；');
    return;
  }
  e.preventDefault();
  e.stopPropagation();
  const head = '尚不能下載本次會議資料包：' + (!p ? ''
    : !p.final_minutes ? '會議紀錄尚未定稿，開放資料包只收定稿的會議紀錄。請先補齊：' : '小組的開放資料設定尚不完整：');
  line.textContent = head + why.map(f => plain(f.message)).join('；');
  $('#publication-box').open = true;
  line.focus();
}

// What stops the bundle: the minutes not final, else the settings it refuses.
function blockers() {
  const p = page.state && page.state.publication;
  if (!p) return [{ message: '本次會議目前無法讀取，請先依表單上方的訊息修正' }];
  if (!p.final_minutes) return p.missing;
  return p.settings.filter(f => f.severity === 'error');
}

function dueLine(p) {
  if (!p.due) return '';
  let text = `公開期限：${p.due}${p.provisional ? '（暫定）' : ''}`;
  if (p.published) text += `；已於 ${p.published} 公開${p.late ? '，晚於期限' : ''}`;
  else if (p.late) text += '；已逾期，尚未記錄公開日期';
  return text;
}

function steps(p) {
  const where = p.base_url ? `（${p.base_url}）` : '（尚未設定，請先在上方填寫）';
  return [
    '上傳的是「全系列資料集」：平臺上本小組只有一個資料集，收錄歷次已舉行的會議，每次會議後重新下載、整批更新。「本次會議資料包」只含這一次會議，供核對內容，不要另外上傳。',
    `解壓縮全系列資料集，將其中所有檔案原樣上傳至機關網站的檔案存放網址${where}，不改檔名、不增刪檔案：資料包內的下載網址都指向該處。`,
    '登入政府資料開放平臺（data.gov.tw）的資料提供者後台，開啟本小組的資料集（第一次公開時新增資料集）：資料集欄位依資料包內的資料集詮釋資料表（metadata.csv）填寫，各資料資源依資源表（resources.csv）逐筆新增或更新（說明、格式、編碼、下載網址、主要欄位說明）。',
    '平臺顯示新的資料資源後，在上方填入「本次會議資料公開於平臺之日」，期限檢核依此判斷；第一次上架的資料集，也請填入資料集上架日期。',
    '每次會議後重複以上步驟：平臺上本小組只有一個資料集，逐次更新。',
  ];
}

// The panel as the state says now; the setting being typed in keeps what it shows.
export function showPublication() {
  if (!$('#publication-box')) $('#publication').append(skeleton());
  for (const [id, doc] of [['#pdf-minutes-internal', {}], ['#odt-minutes-internal', { format: 'odt' }]]) {
    $(id).href = url('api/download', { m: page.meeting, doc: 'minutes-internal', ...doc });
  }
  $('#bundle').href = url('api/bundle', { m: page.meeting });
  $('#series-bundle').href = url('api/series-bundle');
  if ($('#publication-box').open) checkSeries();
  const p = page.state.publication;
  const todo = $('#publication-todo');
  for (const f of document.querySelectorAll('#publication-box .field .finding')) f.remove();
  if (!p) {
    $('#publication-due').textContent = '';
    $('#publication-summary').textContent = '公開於政府資料開放平臺：本次會議目前無法讀取';
    todo.replaceChildren(el('p', { class: 'finding', text: '本次會議目前無法讀取，請先依表單上方的訊息修正' }));
    return;
  }
  $('#publication-due').textContent = dueLine(p);
  const items = [...p.missing.map(f => ({ ...f, what: '會議紀錄' })), ...p.settings.map(f => ({ ...f, what: '小組設定' }))];
  const late = p.late && !p.published ? '，已逾公開期限' : '';
  $('#publication-summary').textContent = items.length
    ? `公開於政府資料開放平臺：尚有 ${items.length} 項待處理${late}` : `公開於政府資料開放平臺：已可公開${late}`;
  todo.replaceChildren(items.length
    ? el('ul', {}, ...items.map(f => el('li', { class: `finding sev-${f.severity}`, text: `${f.what}：${plain(f.message)}` })))
    : el('p', { text: '會議紀錄已定稿，公開所需的小組設定齊全：可下載開放資料包。' }));
  for (const f of p.settings) {
    const label = document.querySelector(`#publication-box [data-publication-field="${CSS.escape(f.field)}"]`);
    if (label) label.append(el('p', { class: `finding sev-${f.severity}`, text: plain(f.message) }));
  }
  fillSettings();
  $('#publication-steps').replaceChildren(...steps(p).map(text => el('li', { text })));
  if (!blockers().length) $('#bundle-why').hidden = true;
}

function fillSettings() {
  for (const [path, file] of SETTINGS) {
    const input = $('#' + idOf(path));
    const refused = page.refused.get(file ? `${file}.${path}` : path);
    const label = input.closest('label');
    if (refused) label.append(el('p', { class: 'finding sev-error', text: '未儲存：' + plain(refused.message) }));
    // A value refused (an impossible date) stays as typed, with why, until typed anew.
    if (input === document.activeElement || input.dataset.typing || refused) continue;
    const v = valueAt(path, file === 'group' ? page.state.group : page.state.doc);
    input.value = v === undefined || v === null ? '' : String(v);
    input.dataset.saved = input.value;
  }
}
