// The preview: the pages of the shown document as SVG, fetched only when they changed.
// What is typed is previewed at once (api/draft: applied in memory, never written); the
// files as saved otherwise (api/preview). One request at a time, the newest afterwards.
import { $, el, plain, fieldLabel } from './dom.js';
import { page, url } from './store.js';
import { draftRequest, onTyped, typedSeq } from './save.js';

// The page each item starts on (`report[0]` → 0-based page), from the last answer.
let itemPages = {};
// Each page slot's newest image generation shown: an image that loads after a newer one
// of its slot does not replace it.
let generation = 0;
// The newest keystroke the pages shown include (`data-shown` on #pages).
let shownSeq = 0;

let previewBusy = false, previewAgain = false;
export async function refreshPreview() {
  if (previewBusy) { previewAgain = true; return; }
  previewBusy = true;
  try {
    do {
      previewAgain = false;
      await previewOnce();
    } while (previewAgain);
  } finally {
    previewBusy = false;
  }
}
onTyped(refreshPreview);

async function previewOnce(drafting = true) {
  const doc = page.shownDoc;
  const seq = typedSeq;
  const draft = drafting && page.state && draftRequest();
  let r;
  try {
    r = draft
      ? await fetch(url('api/draft', { m: page.meeting, doc }), {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(draft) })
      : await fetch(url('api/preview', { m: page.meeting, doc }));
  } catch {
    return;  // offline: the save path says so; the pages shown stay
  }
  // A draft the server cannot apply (the file changed outside, a value its field cannot
  // hold) is not shown: the save says why, and the preview of the files follows.
  if (!r.ok) { if (draft) await previewOnce(false); return; }
  const p = await r.json();
  if (doc !== page.shownDoc) { previewAgain = true; return; }
  const errors = $('#preview-errors');
  const said = p.errors.map(e => el('p', { class: 'finding', text: (e.field && fieldLabel(e.field, e.file) ? fieldLabel(e.field, e.file) + '：' : '') + plain(e.message) }));
  // The pages below are the last ones that could be made: said, so nobody reads them as current.
  if (p.errors.length && p.pages.length) said.unshift(el('p', { class: 'finding stale', text: '預覽未更新：下列問題修正後，預覽才會顯示最新內容' }));
  errors.replaceChildren(...said);
  if (p.errors.length && !p.pages.length) return;  // keep the pages shown
  itemPages = p.items || {};
  showPages(p.pages, doc, seq);
}

// Put the pages of one answer in place: a changed page is loaded beside the one shown and
// replaces it once loaded (no blank page while it loads).
function showPages(hashes, doc, seq) {
  const pages = $('#pages');
  const gen = ++generation;
  const loads = [];
  hashes.forEach((hash, n) => {
    const img = pages.children[n];
    if (!img) {
      pages.append(pageImage(doc, n, hash, gen, true));
      return;
    }
    if (img.dataset.hash === hash && img.dataset.doc === doc) return;
    // Not drawn yet (a lazy page far below, or one that failed), or out of sight: its
    // address changes only, and it is fetched (and drawn) when scrolled near.
    if (!img.complete || !img.naturalWidth || !inSight(img)) {
      Object.assign(img.dataset, { hash, doc, gen });
      img.loading = 'lazy';
      img.src = url('api/page', { m: page.meeting, doc, n, h: hash });
      return;
    }
    const next = pageImage(doc, n, hash, gen, false);
    loads.push(new Promise(done => {
      next.addEventListener('load', () => {
        const now = pages.children[n];
        if (now && Number(now.dataset.gen || 0) < gen) now.replaceWith(next);
        done();
      }, { once: true });
      next.addEventListener('error', done, { once: true });
    }));
  });
  while (pages.children.length > hashes.length) pages.lastChild.remove();
  pages.dataset.pages = hashes.join(',');
  Promise.all(loads).then(() => {
    if (seq < shownSeq) return;
    shownSeq = seq;
    // Once painted: the keystroke is on the screen.
    requestAnimationFrame(() => { pages.dataset.shown = seq; });
  });
}

// Whether a page is (partly) in the preview's view and the window's.
function inSight(img) {
  const r = img.getBoundingClientRect();
  const box = $('#preview').getBoundingClientRect();
  const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, window.innerHeight);
  return r.bottom > top && r.top < bottom;
}

function pageImage(doc, n, hash, gen, lazy) {
  // Fetched when near the view: twenty pages do not hold up the page's loading, and
  // pages nobody scrolls to are not drawn.
  const img = el('img', { alt: `第 ${n + 1} 頁`, loading: lazy ? 'lazy' : 'eager' });
  Object.assign(img.dataset, { hash, doc, gen });
  // The height of an A4 page until it is drawn: the pages below one not yet loaded are
  // where the item → page map scrolls to.
  img.style.aspectRatio = 'auto 210 / 297';
  // A page the server has moved past (a newer edit) is asked for again, a few times.
  img.addEventListener('error', () => {
    const tries = Number(img.dataset.tries || 0);
    if (tries >= 3 || !img.isConnected) return;
    img.dataset.tries = tries + 1;
    delete img.dataset.hash;
    setTimeout(refreshPreview, 300);
  });
  img.addEventListener('load', () => { delete img.dataset.tries; });
  img.src = url('api/page', { m: page.meeting, doc, n, h: hash });
  return img;
}

// The preview follows the item being edited: a field of `report[1]` (or of anything under
// it) in focus brings the page that item starts on into the preview's view.
document.addEventListener('focusin', e => {
  const name = e.target.closest && e.target.closest('#editor [name]') && e.target.name;
  const item = name && name.match(/^[a-z_]+\[\d+\]/);
  if (!item || !(item[0] in itemPages)) return;
  const target = $('#pages').children[itemPages[item[0]]];
  const preview = $('#preview');
  if (!target || !preview) return;
  // The preview's own scroll only: the form, and the field in use, stay where they are.
  preview.scrollTop += target.getBoundingClientRect().top - preview.getBoundingClientRect().top;
  $('#pages').dataset.follows = item[0];
});

export function showDoc(doc) {
  page.shownDoc = doc;
  $('#show-agenda').setAttribute('aria-pressed', doc === 'agenda');
  $('#show-minutes').setAttribute('aria-pressed', doc === 'minutes');
  refreshPreview();
}
