// packet serve: the form is drawn from the meeting.toml the server reads; every change
// is sent as one operation on one field path and written back into the TOML by the
// server. Every input's `name` is its field path (`place`, `report[0].title`, …).
// This module starts the page; each feature is a module of its own.
import { $, el, status, notice, online, failure, fieldLabel, OFFLINE } from './dom.js';
import { client, page, url, valueAt } from './store.js';
import { busy, onSaved, flush } from './save.js';
import { shapeOf, drawForm, fillValues, showFindings, showDeadlines } from './form.js';
import { refreshPreview, showDoc } from './preview.js';
import { showRound } from './corrections.js';
import { startSections } from './sections.js';
import { showPublication } from './publish.js';

function load() { return busy(loadNow); }

// The documents to download (api/download's `doc` and `format`), by the link's id.
const DOWNLOADS = [
  ['pdf-agenda', { doc: 'agenda' }], ['odt-agenda', { doc: 'agenda', format: 'odt' }],
  ['pdf-minutes', { doc: 'minutes' }], ['odt-minutes', { doc: 'minutes', format: 'odt' }],
  ['pdf-notice', { doc: 'notice' }], ['odt-notice', { doc: 'notice', format: 'odt' }],
  ['pdf-notice-change', { doc: 'notice-change' }],
  ['pdf-signin', { doc: 'signin' }], ['odt-signin', { doc: 'signin', format: 'odt' }],
  ['ics', { doc: 'ics' }],
  ['pdf-corrections', { doc: 'corrections' }], ['odt-corrections', { doc: 'corrections', format: 'odt' }],
];

// A download is made from the files on disk: what was typed a moment before is saved
// first (else the file lacks the last correction). A document that does not build is
// said beside the links, not saved as a file.
async function download(link) {
  const what = link.textContent.replace(/^下載/, '');
  link.setAttribute('aria-busy', 'true');
  status('準備下載' + what + '…');
  try {
    if (!await flush()) { notice(`未下載${what}：有修改未能儲存，請先處理上方的訊息`); return; }
    const r = await fetch(link.href);
    if (!r.ok) {
      const body = await r.json().catch(() => ({ error: failure(r) }));
      notice(`無法下載${what}：${body.error}`);
      status('未下載');
      link.dispatchEvent(new CustomEvent('refused', { detail: body.error }));
      return;
    }
    // The Chinese name (filename*, RFC 5987) where the server gives one, else the ASCII one.
    const disposition = r.headers.get('content-disposition') || '';
    const utf8 = disposition.match(/filename\*=UTF-8''([^;]+)/i);
    const name = utf8 ? [null, decodeURIComponent(utf8[1])] : disposition.match(/filename="([^"]+)"/);
    const file = URL.createObjectURL(await r.blob());
    const a = el('a', { href: file, download: name ? name[1] : '' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(file), 60000);
    status('已下載' + what);
    // What the command line would print with it (the series' dataset: x-packet-said).
    link.dispatchEvent(new CustomEvent('downloaded', { detail: r.headers.get('x-packet-said') }));
  } catch {
    status(OFFLINE);
  } finally {
    link.removeAttribute('aria-busy');
  }
}
onSaved(load);

async function loadNow() {
  const r = await fetch(url('api/state', { m: page.meeting }));
  if (!r.ok) {
    const body = await r.json().catch(() => ({ error: failure(r) }));
    status('無法讀取');
    notice('無法讀取這次會議：' + body.error, 'load');
    return;
  }
  const before = { state: page.state, typing: typingIn() };
  page.state = await r.json();
  page.meeting = page.state.meeting;
  page.version = page.state.version;
  const select = $('#meeting');
  if (select.options.length !== page.state.meetings.length) {
    select.replaceChildren(...page.state.meetings.map(m => el('option', { value: m, text: m })));
  }
  select.value = page.meeting;
  // A group numbered by term (第 N 屆第 M 次) may start the next term with its next meeting.
  const term = page.state.next_term;
  $('#new-term-choice').hidden = term === null;
  if (term !== null) $('#new-term-text').textContent = `開始新的一屆：第 ${term} 屆`;
  const now = shapeOf() + (page.state.doc === null);
  if (now !== page.shape || !$('#editor').childElementCount) { drawForm(); page.shape = now; }
  fillValues();
  toldIfGone(before);
  focusFirstOfNew();
  $('#new-date').placeholder = '如 ' + nextDateHint();
  showFindings();
  showDeadlines();
  showRound();
  for (const [id, params] of DOWNLOADS) $('#' + id).href = url('api/download', { m: page.meeting, ...params });
  $('#pdf-notice-change').hidden = !valueAt('notice.change');
  // The correction round's record: internal (never in the bundle), once the round is recorded.
  for (const id of ['#pdf-corrections', '#odt-corrections']) $(id).hidden = !page.state.corrections;
  showPublication();
  refreshPreview();
}

// A plausible date for the next meeting, as a hint (never a value): three months after this
// meeting when it is the series' last, at least two weeks from today (the materials go out
// 5 working days before), on a weekday.
function nextDateHint() {
  const DAY = 864e5;
  const meetings = page.state.meetings;
  const date = String(valueAt('date') ?? '');
  const last = page.meeting === meetings[meetings.length - 1] && /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(date + 'T00:00:00Z') : 0;
  const now = new Date();
  let day = new Date(Math.max(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) + 14 * DAY, last ? last + 91 * DAY : 0));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() + DAY);
  return day.toISOString().slice(0, 10);
}

// The text field being typed in, in an item (報告事項, 討論事項, 臨時動議): its item's path, the
// item's fingerprint as last read, and what the field holds.
function typingIn() {
  const input = document.activeElement;
  const path = input && input.closest && input.closest('#editor') && input.dataset.path;
  const item = path && path.match(/^(report|discussion|minutes\.motion)\[\d+\]/);
  if (!item || !page.state) return null;
  return { item: item[0], list: item[1], fp: page.state.items[item[0]], name: fieldLabel(item[0]), value: input.value, saved: input.dataset.saved };
}

// The item typed in was deleted meanwhile (in another tab or program): said, with what was
// typed and not saved, instead of the keys going nowhere.
function toldIfGone({ state, typing }) {
  if (!state || !typing || !typing.fp) return;
  const count = s => Object.keys(s.items).filter(k => new RegExp(`^${typing.list.replace('.', '\\.')}\\[\\d+\\]$`).test(k)).length;
  const still = Object.entries(page.state.items).some(([k, fp]) => fp === typing.fp && k.startsWith(typing.list + '['));
  if (still || count(page.state) >= count(state)) return;
  const name = typing.name || '這個項目';
  const unsaved = typing.value !== typing.saved && typing.value ? `；未儲存的內容：「${typing.value}」` : '';
  notice(`正在輸入的「${name}」已在另一個分頁或程式中刪除${unsaved}`, 'gone');
}

// A meeting just created (Enter or 建立下一次會議): the keyboard starts at its first field.
function focusFirstOfNew() {
  let created = null;
  // Taken only by the new meeting's page: the old page, still loading as it is left (the new
  // meeting's files bumped the version), would otherwise take it first.
  try { created = sessionStorage.getItem('packet.created'); } catch { /* storage off */ }
  if (created !== page.meeting) return;
  try { sessionStorage.removeItem('packet.created'); } catch { /* storage off */ }
  const first = [...document.querySelectorAll('#editor input, #editor select, #editor textarea')]
    .find(f => !f.disabled && f.offsetParent !== null);
  if (first) first.focus();
}

// Told when the files change (here, in another tab, or in another editor) and when
// another tab overwrote a field this tab wrote.
async function waitForChanges() {
  for (;;) {
    try {
      const r = await fetch(url('api/wait', { since: page.version, client }));
      const w = await r.json();
      // Back after the editor was closed or restarted: the line no longer says 未連線.
      if (online()) status('已重新連線');
      for (const n of w.notices) {
        const label = fieldLabel(n.field);
        notice(label ? `「${label}」${n.message}` : n.message);
        const input = document.querySelector(`[name="${CSS.escape(n.field)}"]`);
        if (input) input.dataset.force = 'true';  // show the newest value even while focused
      }
      if (w.version !== page.version || w.notices.length) await load();
    } catch (e) {
      status(OFFLINE);
      await new Promise(ok => setTimeout(ok, 2000));
    }
  }
}

document.addEventListener('DOMContentLoaded', () => {
  startSections();
  $('#show-agenda').addEventListener('click', () => showDoc('agenda'));
  $('#show-minutes').addEventListener('click', () => showDoc('minutes'));
  $('#meeting').addEventListener('change', e => { location.search = '?m=' + encodeURIComponent(e.target.value); });
  $('#editor').addEventListener('submit', e => e.preventDefault());
  $('#preview .toolbar').addEventListener('click', e => {
    const link = e.target.closest('a[download]');
    if (!link || link.getAttribute('href') === '#') return;
    e.preventDefault();
    if (link.getAttribute('aria-busy') !== 'true') download(link);
  });
  $('#new-meeting').addEventListener('click', async () => {
    const r = await fetch(url('api/new'), { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ date: $('#new-date').value, term: $('#new-term').checked ? page.state.next_term : null }) });
    const body = await r.json().catch(() => ({ error: failure(r) }));
    if (r.ok) {
      try { sessionStorage.setItem('packet.created', body.meeting); } catch { /* storage off */ }
      location.search = '?m=' + encodeURIComponent(body.meeting);
    }
    else { status('未建立'); notice('未建立下一次會議：' + body.error, 'new'); }
  });
  // Enter in the date creates the meeting, as the button does.
  $('#new-date').addEventListener('keydown', e => {
    if (e.key === 'Enter') { e.preventDefault(); $('#new-meeting').click(); }
  });
  load().then(waitForChanges);
});
