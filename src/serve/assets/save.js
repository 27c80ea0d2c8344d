// Saving: every change is sent as operations on field paths, one request after another,
// against the version of the file this tab was drawn from.
import { status, notice, online, OFFLINE } from './dom.js';
import { client, page, url, anchorsOf, baseOf } from './store.js';

// How the form is read again after a save (main.js sets it: the form's modules come after).
let reload = async () => {};
export function onSaved(load) { reload = load; }
export function reloadForm() { return reload(); }

// How many saves and reloads are under way, on the page (`data-pending` on <html>): a
// person sees 儲存中…, a test waits for 0 before it types into a form just redrawn.
let pending = 0;
export async function busy(work) {
  document.documentElement.dataset.pending = ++pending;
  try { return await work(); } finally { document.documentElement.dataset.pending = --pending; }
}

// Text typed and not yet sent (its field waits for a pause): flush() sends it at once.
const typed = new Set();
export function typing(save) { typed.add(save); }
export function typedSent(save) { typed.delete(save); }

// What is typed and not yet on disk, by field (meeting.toml's only): the preview shows
// it at once (api/draft applies it in memory), without waiting for the save. An entry
// goes when the save of that very value is answered; `typedSeq` counts the keystrokes
// (the preview says which one it shows, for a test or a benchmark to time).
const drafts = new Map();
export let typedSeq = 0;
let onTypedHook = () => {};
export function onTyped(hook) { onTypedHook = hook; }
export function drafted(path, value, file) {
  if (file) return;
  drafts.set(path, value);
  document.documentElement.dataset.typed = ++typedSeq;
  onTypedHook();
}
// The edit a draft sends: every field typed and not yet saved, as set operations.
export function draftRequest() {
  if (!drafts.size) return null;
  const ops = [...drafts].map(([path, value]) => ({ op: 'set', path, value }));
  const seen = new Map(ops.flatMap(op => anchorsOf(op.path)).map(a => [a.path, a]));
  return { client, base: baseOf(), ops, items: [...seen.values()] };
}
function saved(ops, file) {
  if (file) return;
  for (const op of ops) if (op.op === 'set' && drafts.has(op.path) && drafts.get(op.path) === op.value) drafts.delete(op.path);
}

// How many saves were refused so far: a download after a refused save says so.
let refused = 0;

// Every edit of this tab on disk: what is typed is sent now, and every save in the queue
// answered (a download made before then would lack the last correction). False when a
// save among them was refused.
export async function flush() {
  const before = refused;
  for (const save of [...typed]) save();
  let last;
  do { last = sending; await last; } while (last !== sending);
  return refused === before;
}

// A tab's edits reach the server in the order they were made (one after another): two
// saves of one field racing each other could otherwise land the older last. Each names
// the file's version and the items as the tab saw them when the change was made.
let sending = Promise.resolve();
export function send(ops, file) {
  const paths = ops.map(op => op.path).filter(p => p);
  const seen = new Map(paths.flatMap(p => anchorsOf(p, file)).map(a => [a.path, a]));
  const request = { client, base: baseOf(file), ops, items: [...seen.values()] };
  const job = busy(() => sending.then(() => sendNow(request, file)));
  sending = job.catch(() => {});
  return job;
}

// Sent until the server answers: while the editor is closed or restarting (the same
// address works again after a restart), what was typed stays in the page and in the
// queue, and is saved, in order, once the server is back.
async function post(address, body) {
  for (let pause = 500; ; pause = Math.min(pause * 2, 4000)) {
    try {
      const r = await fetch(address, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      online();  // answered: the notice that the editor was away is no longer true
      return r;
    } catch {
      status(OFFLINE);
      await new Promise(ok => setTimeout(ok, pause));
    }
  }
}

async function sendNow(request, file) {
  status('儲存中…');
  const r = await post(url('api/edit', { m: page.meeting, file }), JSON.stringify(request));
  // Saved or refused, the file is what the preview shows from now on.
  saved(request.ops, file);
  const body = await r.json().catch(() => ({ error: '伺服器沒有回應' }));
  const named = path => (file ? `${file}.${path}` : path);
  if (!r.ok) {
    refused++;
    status('未儲存：' + body.error);
    // A value its field cannot hold: said beside the field, which keeps what was typed
    // until it is corrected (form.js), and not above the page.
    if (body.field) {
      const input = document.querySelector(`#editor [name="${CSS.escape(named(body.field))}"]`);
      page.refused.set(named(body.field), { message: body.error, value: input ? input.value : '' });
      await reload();
      return;
    }
    notice('未儲存：' + body.error);
    // The file changed outside: the form shows it as it is now, the field in use too.
    if (body.changed) page.reshow = true;
    await reload();
    return;
  }
  for (const op of request.ops) if (op.path) page.refused.delete(named(op.path));
  status('已儲存');
  await reload();
}
