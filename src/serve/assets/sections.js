// The form's parts, as the meeting's cycle has them: before the meeting (基本資料, the
// items, 附件, 通知與寄送) and after it (出席, the record, 意見與決議, 紀錄草稿與修正, 公開).
// The nav (index.html) links each part; 會前 / 會後 shows only that half of the form (an
// item shows its agenda fields before, its opinions and decision after), so the keyboard
// does not go through the other half.
import { $, el } from './dom.js';
import { showDoc } from './preview.js';

// A part of the form: a section with its heading (focused when its nav link is followed).
// `phase`: 'before', 'after' or 'both'.
export function part(id, title, phase, attrs, ...children) {
  return el('section', { id: `sec-${id}`, class: 'part', 'data-phase': phase, 'aria-labelledby': `h-${id}`, ...attrs },
    el('h2', { id: `h-${id}`, tabindex: '-1', text: title }), ...children);
}

// Marks a piece of an item as one half's: hidden in the other half's view.
export function phase(which, element) {
  element.dataset.phase = which;
  return element;
}

const VIEWS = ['before', 'after', 'all'];
const KEY = 'packet.view';

export function showView(view) {
  const v = VIEWS.includes(view) ? view : 'all';
  $('#editor').dataset.view = v;
  $('#sections').dataset.view = v;
  for (const b of document.querySelectorAll('#views button')) b.setAttribute('aria-pressed', b.dataset.view === v);
  try { localStorage.setItem(KEY, v); } catch { /* storage off: the view lasts for this page */ }
}

// A link followed: its part shown (the view changes if the part is the other half's), in
// view, and the keyboard on its heading (the next Tab goes into the part).
function follow(link) {
  const section = document.getElementById(link.getAttribute('href').slice(1));
  if (!section) return;
  const view = $('#editor').dataset.view;
  const want = section.dataset.phase;
  if (view !== 'all' && want !== 'both' && want !== view) showView(want);
  const heading = section.querySelector('h2');
  heading.focus({ preventScroll: true });
  section.scrollIntoView({ block: 'start' });
  history.replaceState(null, '', location.search + link.getAttribute('href'));
}

export function startSections() {
  let saved = null;
  try { saved = localStorage.getItem(KEY); } catch { /* storage off */ }
  showView(saved || 'all');
  // Chosen by hand, a half brings its document into the preview: the agenda before, the minutes after.
  for (const b of document.querySelectorAll('#views button')) {
    b.addEventListener('click', () => {
      showView(b.dataset.view);
      if (b.dataset.view !== 'all') showDoc(b.dataset.view === 'before' ? 'agenda' : 'minutes');
    });
  }
  $('#sections').addEventListener('click', e => {
    // 下載: the preview's toolbar, in view and the keyboard on it (the next Tab is its first button).
    if (e.target.closest('a[href="#downloads"]')) {
      e.preventDefault();
      $('#downloads').focus({ preventScroll: true });
      $('#downloads').scrollIntoView({ block: 'start' });
      return;
    }
    const link = e.target.closest('a[href^="#sec-"]');
    if (!link) return;
    e.preventDefault();
    follow(link);
  });
}
