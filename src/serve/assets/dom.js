// The page's elements: made, found, and the status line and notices above the form.

export const NUMERALS = '零一二三四五六七八九十';
export const $ = (sel, root = document) => root.querySelector(sel);

export function el(tag, attrs = {}, ...children) {
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

// The header's status keeps its short word (未儲存, 未連線, 已儲存); what follows the first
// ：is said where the person is looking (beside the field, or in a notice).
export function status(text) {
  $('#status').textContent = text.split('：')[0];
  if (text === OFFLINE) notice(OFFLINE, 'offline');
}

// Back in touch with the editor: the notice that it was not is no longer true.
export function online() {
  const was = !!document.querySelector('#notices [data-key="offline"]');
  closeNotice('offline');
  return was;
}

// The editor closed or restarting: the same address works again once it is back.
export const OFFLINE = '未連線：編輯器已關閉或正在重新啟動，重試中；輸入的內容會在重新連線後儲存';

// A notice stays in view (the area is fixed to the top of the window while the page
// scrolls) until its 關閉 button is pressed; one with a `key` replaces the last of that key.
export function notice(text, key) {
  const shown = plain(text);
  const old = key && document.querySelector(`#notices [data-key="${CSS.escape(key)}"]`);
  if (old) { old.querySelector('p').textContent = shown; return; }
  const n = el('div', { class: 'notice', role: 'alert', 'data-key': key },
    el('p', { text: shown }),
    el('button', { type: 'button', class: 'close', text: '關閉', onclick: () => dismiss(n) }));
  $('#notices').append(n);
}

export function closeNotice(key) {
  const n = document.querySelector(`#notices [data-key="${CSS.escape(key)}"]`);
  if (n) n.remove();
}

// The keyboard goes on to the next notice's 關閉, or back to where it was in the form.
let lastInForm = null;
document.addEventListener('focusin', e => { if (e.target.closest && e.target.closest('#editor, #sections')) lastInForm = e.target; });
function dismiss(n) {
  const next = n.nextElementSibling || n.previousElementSibling;
  const hadFocus = n.contains(document.activeElement);
  n.remove();
  if (!hadFocus) return;
  if (next) next.querySelector('button').focus();
  else if (lastInForm && lastInForm.isConnected) lastInForm.focus();
}

// What a refused request says when its answer is not the editor's own JSON (a proxy, a
// browser's own refusal): in words, never the HTTP reason phrase.
export function failure(r) {
  if (r.status === 403) return '編輯器拒絕了這個要求（網址可能已不是這次啟動的，請重新整理此頁）';
  if (r.status === 404) return '找不到';
  if (r.status >= 500) return '編輯器發生錯誤，請稍後再試';
  return `編輯器無法處理這個要求（代碼 ${r.status}）`;
}

// Words of the command line and of the files, said as the page says them: the checks'
// messages are shared with `packet check`, which names files and commands.
const PLAIN = [
  [/ ?group\.toml ?/g, '小組設定'],
  [/ ?meeting\.toml ?/g, '會議資料'],
  [/attachments\//g, ''],
  [/Markdown 檔/g, '文字檔（.md）'],
  [/Markdown/g, '文字'],
  // Installing a calendar is the program's keeper's step, not one the page offers.
  [/，?請下載（data\.gov\.tw 資料集 14718）\s*並以 packet calendar add( FILE)? 安裝/g, '，請資訊人員依使用說明將它加入本程式'],
  [/(重新)?(執行|以) packet calendar add( FILE)?( 安裝)?/g, '由資訊人員依使用說明$1加入辦公日曆表'],
  [/packet (new|check|build|corrections)/g, '命令列'],
  [/TOML /g, ''],
  // A table of the file named in a message: `（沒有 [minutes] 會議紀錄）`.
  [/ ?\[[a-z_.]+\] ?/g, ''],
  // A key of the file in parentheses, `（numbering = "term"）`, or before a message, `widths：`.
  [/（[A-Za-z_][A-Za-z_.[\]0-9]*( = [^）]*)?）/g, ''],
  [/(^|：)[a-z_]+：/g, '$1'],
];
export function plain(text) {
  let out = String(text);
  for (const [from, to] of PLAIN) out = out.replace(from, to);
  return out.replace(PATH, path => `「${fieldLabel(path) || '此欄'}」`);
}

// A field path inside a message (`discussion[0].title`, `member[2].id`).
const PATH = /\b(?:group\.)?(?:report|discussion|minutes|member|corrections|dates|rules|open_data|contact|tracking|notice|vote)(?:\[[^\]]*\]|\.[A-Za-z_]\w*)+/g;

// A field's name as the form shows it: the label of the part of the form its path leads
// to (one step up at a time, as findings are placed), after the item it belongs to.
export function fieldLabel(path, file) {
  let field = file === 'group.toml' && !path.startsWith('group.') ? `group.${path}` : path;
  while (field) {
    const t = document.querySelector(`#editor [data-field="${CSS.escape(field)}"]`);
    if (t) return describe(t);
    const up = field.replace(/(\[[^\]]*\]|\.[^.[]*)$/, '');
    field = up === field ? '' : up;
  }
  return '';
}

function describe(t) {
  const text = e => (e ? e.textContent.replace(/（.*$/s, '').trim() : '');
  const own = t.matches('label') ? text(t.querySelector('span')) || t.textContent.trim()
    : text(t.querySelector(':scope > legend, :scope > h2, :scope > h4, :scope > summary')) || t.getAttribute('aria-label') || '';
  const item = t.closest('fieldset.item');
  const of = item && item !== t ? text(item.querySelector(':scope > legend')) : '';
  return [of, own].filter(w => w).join(' ');
}
