// packet serve: the form is drawn from the meeting.toml the server reads; every change
// is sent as one operation on one field path and written back into the TOML by the
// server. Every input's `name` is its field path (`place`, `report[0].title`, …).
// This module starts the page; each feature is a module of its own.
import { $, el, status, notice, OFFLINE } from './dom.js';
import { client, page, url } from './store.js';
import { busy, onSaved } from './save.js';
import { shapeOf, drawForm, fillValues, showFindings, showDeadlines } from './form.js';
import { refreshPreview, showDoc } from './preview.js';

function load() { return busy(loadNow); }
onSaved(load);

async function loadNow() {
  const r = await fetch(url('api/state', { m: page.meeting }));
  if (!r.ok) { status('無法讀取：' + r.status); return; }
  page.state = await r.json();
  page.meeting = page.state.meeting;
  page.version = page.state.version;
  const select = $('#meeting');
  if (select.options.length !== page.state.meetings.length) {
    select.replaceChildren(...page.state.meetings.map(m => el('option', { value: m, text: m })));
  }
  select.value = page.meeting;
  const now = shapeOf() + (page.state.doc === null);
  if (now !== page.shape || !$('#editor').childElementCount) { drawForm(); page.shape = now; }
  fillValues();
  showFindings();
  showDeadlines();
  $('#pdf-agenda').href = url('api/download', { m: page.meeting, doc: 'agenda' });
  $('#pdf-minutes').href = url('api/download', { m: page.meeting, doc: 'minutes' });
  $('#odt-agenda').href = url('api/download', { m: page.meeting, doc: 'agenda', format: 'odt' });
  $('#odt-minutes').href = url('api/download', { m: page.meeting, doc: 'minutes', format: 'odt' });
  $('#bundle').href = url('api/bundle', { m: page.meeting });
  refreshPreview();
}

// Told when the files change (here, in another tab, or in another editor) and when
// another tab overwrote a field this tab wrote.
async function waitForChanges() {
  for (;;) {
    try {
      const r = await fetch(url('api/wait', { since: page.version, client }));
      const w = await r.json();
      // Back after the editor was closed or restarted: the line no longer says 未連線.
      if ($('#status').textContent === OFFLINE) status('已重新連線');
      for (const n of w.notices) {
        notice(`「${n.field}」${n.message}`);
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
  $('#show-agenda').addEventListener('click', () => showDoc('agenda'));
  $('#show-minutes').addEventListener('click', () => showDoc('minutes'));
  $('#meeting').addEventListener('change', e => { location.search = '?m=' + encodeURIComponent(e.target.value); });
  $('#editor').addEventListener('submit', e => e.preventDefault());
  $('#new-meeting').addEventListener('click', async () => {
    const r = await fetch(url('api/new'), { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ date: $('#new-date').value }) });
    const body = await r.json().catch(() => ({ error: r.statusText }));
    if (r.ok) location.search = '?m=' + encodeURIComponent(body.meeting);
    else status('未建立：' + body.error);
  });
  load().then(waitForChanges);
});
