// What the page knows of the meeting, shared by every module: the state the server last
// sent (api/state), which meeting and document are shown, and the page's own settings.

const base = location.pathname.replace(/[^/]*$/, '');
export const client = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));

export const page = {
  meeting: new URLSearchParams(location.search).get('m'),
  // api/state's answer: doc, group, hashes, items, members, findings, open.
  state: null,
  version: -1,
  // The form's shape when last drawn (items, opinions, roster): drawn again when it moves.
  shape: '',
  shownDoc: 'agenda',
  rosterOpen: false,
  settingsOpen: false,
  publicationOpen: false,
  // The control to focus once the form is drawn again after a button's change: its id,
  // and the element that had the focus when the button was pressed.
  focusNext: null,
  // Set when the file changed outside: every field shows the file again, even the one in use.
  reshow: false,
  // Values the server refused at their field (an impossible date): field name →
  // { message, value typed }. The field keeps showing what was typed, the message beside it.
  refused: new Map(),
  // Files an upload control refused: the control's id → what it says beside it until closed.
  uploadErrors: new Map(),
};

// A speaker's unit, kept while a member is picked instead, so that picking 列席單位 again
// (an arrow key too far) brings it back.
export const unitKept = new Map();

export function url(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined) q.set(k, v);
  return base + path + '?' + q.toString();
}

// The value at a field path of the meeting's JSON.
export function valueAt(path, root = page.state.doc) {
  let v = root;
  for (const part of path.split('.')) {
    const m = part.match(/^([^[]+)((?:\[\d+\])*)$/);
    if (!m || v === null || typeof v !== 'object') return undefined;
    v = v[m[1]];
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) v = Array.isArray(v) ? v[Number(idx[1])] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

// The items a field path goes through (`report[1]`, `report[1].opinion[0]`) as this tab
// sees them, each with its fingerprint: the server finds them again if another tab moved them.
export function anchorsOf(path, file) {
  const items = (file === 'group' ? page.state.group_items : page.state.items) || {};
  const anchors = [];
  for (const m of path.matchAll(/\[\d+\]/g)) {
    const at = path.slice(0, m.index + m[0].length);
    if (items[at]) anchors.push({ path: at, fp: items[at] });
  }
  return anchors;
}

// The hash of the file as this tab last read it: an edit applies to that version only.
export function baseOf(file) {
  const hashes = page.state.hashes || {};
  return (file === 'group' ? hashes.group : hashes.meeting) || '';
}
