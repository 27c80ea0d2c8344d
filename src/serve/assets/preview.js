// The preview: the pages of the shown document as SVG, fetched only when they changed.
import { $, el, plain, fieldLabel } from './dom.js';
import { page, url } from './store.js';

let previewBusy = false, previewAgain = false;
export async function refreshPreview() {
  if (previewBusy) { previewAgain = true; return; }
  previewBusy = true;
  try {
    do {
      previewAgain = false;
      const doc = page.shownDoc;
      const r = await fetch(url('api/preview', { m: page.meeting, doc }));
      const p = await r.json();
      const errors = $('#preview-errors');
      errors.replaceChildren(...p.errors.map(e => el('p', { class: 'finding', text: (e.field && fieldLabel(e.field, e.file) ? fieldLabel(e.field, e.file) + '：' : '') + plain(e.message) })));
      if (p.errors.length && !p.pages.length) continue;  // keep the pages shown
      const pages = $('#pages');
      p.pages.forEach((hash, n) => {
        let img = pages.children[n];
        if (!img) {
          // Fetched when near the view: twenty pages do not hold up the page's loading, and
          // pages nobody scrolls to are not drawn.
          img = el('img', { alt: `第 ${n + 1} 頁`, loading: 'lazy' });
          // A page the server has moved past (a newer edit) is asked for again, a few times.
          img.addEventListener('error', () => {
            const tries = Number(img.dataset.tries || 0);
            if (tries >= 3) return;
            img.dataset.tries = tries + 1;
            delete img.dataset.hash;
            setTimeout(refreshPreview, 300);
          });
          img.addEventListener('load', () => { delete img.dataset.tries; });
          pages.append(img);
        }
        if (img.dataset.hash !== hash || img.dataset.doc !== doc) {
          img.dataset.hash = hash;
          img.dataset.doc = doc;
          img.src = url('api/page', { m: page.meeting, doc, n, h: hash });
        }
      });
      while (pages.children.length > p.pages.length) pages.lastChild.remove();
      pages.dataset.pages = p.pages.join(',');
    } while (previewAgain);
  } finally {
    previewBusy = false;
  }
}

export function showDoc(doc) {
  page.shownDoc = doc;
  $('#show-agenda').setAttribute('aria-pressed', doc === 'agenda');
  $('#show-minutes').setAttribute('aria-pressed', doc === 'minutes');
  refreshPreview();
}
