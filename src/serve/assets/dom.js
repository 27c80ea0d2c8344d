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

export function status(text) { $('#status').textContent = text; }

// The editor closed or restarting: the same address works again once it is back.
export const OFFLINE = '未連線：編輯器已關閉或正在重新啟動，重試中；輸入的內容會在重新連線後儲存';

export function notice(text) {
  const n = el('p', { class: 'notice', text });
  $('#notices').append(n);
  setTimeout(() => n.remove(), 15000);
}
