// The Tally audit dashboard: a hash router and one view per audit endpoint (docs/audit-api.md).
//
// Every answer is rendered with DOM APIs (createElement, textContent): nothing from the network is
// ever parsed as HTML. Each view, once rendered, sets document.body.dataset.view to its name and
// #view's data-loaded to "true" ("false" while navigating), which browser tests wait on.

import {
  authorizedFetch,
  AuthError,
  base64UrlDecode,
  base64UrlText,
  currentSession,
  keyIdOfX,
  onSessionChange,
  problemOf,
  renderSignIn,
  showProblem,
  signInHash,
  signOut,
} from './auth.js';

const API = '/v1/audit';
const SEARCH_PARAMETERS = ['id', 'participant', 'account', 'asset', 'minAmount', 'maxAmount', 'from', 'to', 'code', 'kind'];
const PAGE_PARAMETERS = ['limit', 'before'];
const VALIDATORS_REFRESH_MS = 2000;
const SERIES_SECONDS = 300;
const CODES = [
  'ACCEPTED', 'MALFORMED', 'PRODUCER_UNKNOWN', 'RECORD_REPLAYED', 'TYPE_UNEXPECTED', 'STREAM_MISMATCH',
  'ROLE_FORBIDS_TYPE', 'SIGNATURE_INVALID', 'SIGNER_UNKNOWN', 'SIGNER_DUPLICATE', 'KEY_REVOKED',
  'KEY_POSSESSION_UNPROVEN', 'DEBTOR_SIGNATURE_MISSING', 'OWNER_SIGNATURE_MISSING', 'NOT_AUTHORIZED',
  'GOVERNANCE_QUORUM_NOT_MET', 'EXPIRED', 'NOT_AFTER_TOO_FAR', 'DUPLICATE_CONFLICT', 'PARTICIPANT_UNKNOWN',
  'PARTICIPANT_EXISTS', 'PARTICIPANT_SUSPENDED', 'STATUS_UNCHANGED', 'KEY_EXISTS', 'KEY_UNKNOWN',
  'KEYS_TOO_MANY', 'ASSET_UNKNOWN', 'ASSET_EXISTS', 'NOT_ISSUER', 'ACCOUNT_UNKNOWN', 'ACCOUNT_EXISTS',
  'ASSET_MISMATCH', 'ACCOUNTS_MUST_BE_DIFFERENT', 'AMOUNT_INVALID', 'AMOUNT_OVERFLOW', 'INSUFFICIENT_FUNDS',
  'LEGS_TOO_MANY', 'RESERVATION_UNKNOWN', 'RESERVATION_CLOSED', 'EXPIRY_INVALID', 'CUT_IGNORED',
];
// Series colours, each at least 4.5:1 on white; lines also differ by dash pattern.
const SERIES_COLOURS = ['#0b5cad', '#a04a00', '#6f42c1', '#1a7f37', '#b42318', '#4f5661'];
const SERIES_DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2]];
const ZERO_HASH = '0'.repeat(64);

const td = new TextDecoder('utf-8', { fatal: true });

// ------------------------------------------------------------------ DOM helpers

/** An element; `props` sets attributes (dataset via `data`), `children` are nodes or text. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'data') {
      for (const [key, v] of Object.entries(value)) node.dataset[key] = String(v);
    } else if (name === 'text') {
      node.textContent = String(value);
    } else if (name === 'class') {
      node.className = value;
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function heading(text) {
  return el('h1', { tabindex: '-1', text });
}

function link(href, text) {
  return el('a', { href, text });
}

function code(text) {
  return el('code', { text });
}

/** A short form of a hash, the whole of it for assistive technology and in the title. */
function shortHash(hex) {
  if (typeof hex !== 'string') return '—';
  if (hex.length <= 16) return code(hex);
  return el('code', { class: 'hash-short', title: hex, 'aria-label': hex }, hex.slice(0, 12) + '…');
}

function time(iso) {
  if (iso === null || iso === undefined || iso === '') return '—';
  return el('time', { datetime: String(iso), text: String(iso) });
}

function logTime(ms) {
  if (typeof ms !== 'number') return '—';
  const iso = new Date(ms).toISOString();
  return el('time', { datetime: iso, title: ms + ' ms since the epoch' }, iso);
}

/** A table in a horizontally scrollable, keyboard-focusable region. */
function table(id, caption, columns, rows) {
  const head = el('tr', {}, columns.map((c) => el('th', { scope: 'col', text: c })));
  const t = el('table', { id, class: 'striped' }, el('caption', { text: caption }), el('thead', {}, head), el('tbody', {}, rows));
  return el('div', { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: '0' }, t);
}

function row(data, cells) {
  return el('tr', { data }, cells.map((c) => el('td', {}, c)));
}

function emptyRow(columns, text) {
  return el('tr', { class: 'empty' }, el('td', { colspan: String(columns), text }));
}

function definitions(id, pairs) {
  const dl = el('dl', { id, class: 'facts' });
  for (const [term, value] of pairs) {
    dl.append(el('dt', { text: term }), el('dd', {}, value));
  }
  return dl;
}

function section(id, title, ...children) {
  return el('section', { id, 'aria-labelledby': id + '-title' }, el('h2', { id: id + '-title', text: title }), children);
}

// ------------------------------------------------------------------ requests

class ViewError extends Error {}

/** GET of an audit endpoint as JSON; any other answer shows its Problem Details and throws. */
async function getJson(url) {
  const response = await authorizedFetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const problem = await problemOf(response);
    showProblem(problem);
    throw new ViewError(problem.title);
  }
  return response.json();
}

function apiUrl(path, params) {
  const query = params && [...params].length ? '?' + params.toString() : '';
  return API + path + query;
}

/** Export buttons: the same request as CSV (format=csv) or JSON, downloaded as a Blob. */
function exportButtons(view, url) {
  const csv = el('button', { type: 'button', class: 'secondary', data: { export: 'csv' }, text: 'Export CSV' });
  const json = el('button', { type: 'button', class: 'secondary', data: { export: 'json' }, text: 'Export JSON' });
  const download = async (button, format) => {
    const target = new URL(url, location.origin);
    if (format === 'csv') target.searchParams.set('format', 'csv');
    else target.searchParams.delete('format');
    button.setAttribute('aria-busy', 'true');
    try {
      const response = await authorizedFetch(target.pathname + target.search, {
        headers: { Accept: format === 'csv' ? 'text/csv' : 'application/json' },
      });
      if (!response.ok) {
        showProblem(await problemOf(response));
        return;
      }
      const blob = new Blob([await response.arrayBuffer()], { type: format === 'csv' ? 'text/csv' : 'application/json' });
      const href = URL.createObjectURL(blob);
      const a = el('a', { href, download: 'tally-' + view + '.' + format, class: 'visually-hidden' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10000);
    } catch (e) {
      if (!(e instanceof AuthError)) showProblem({ status: 0, title: 'Export failed', detail: e.message });
    } finally {
      button.removeAttribute('aria-busy');
    }
  };
  csv.addEventListener('click', () => download(csv, 'csv'));
  json.addEventListener('click', () => download(json, 'json'));
  return el('div', { class: 'exports' }, csv, json);
}

// ------------------------------------------------------------------ decoding signed objects

function jsonOf(value) {
  // The API gives outcomes and certificates as JSON text; accept an embedded object as well.
  if (typeof value === 'string') return JSON.parse(value);
  return value;
}

/** A compact JWS text: its protected header and payload bytes (nothing verified). */
function decodeCompact(text) {
  const parts = text.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  return { header: JSON.parse(base64UrlText(parts[0])), payload: base64UrlDecode(parts[1]) };
}

/** A general-serialization JWS object: its payload text and each signature's protected header. */
function decodeGeneral(json) {
  if (!json || typeof json.payload !== 'string' || !Array.isArray(json.signatures)) {
    throw new Error('not a JWS in general serialization');
  }
  const payloadText = base64UrlText(json.payload);
  const headers = json.signatures.map((s) => {
    try {
      return JSON.parse(base64UrlText(s.protected));
    } catch (e) {
      return { kid: null };
    }
  });
  return { payloadText, headers };
}

/**
 * A log record (base64url envelope) decoded for display: the envelope's header and payload, and
 * its body (an instruction or governance JWS) with its payload and signers. Nothing here is
 * verified; the receipt verifier does that.
 */
function decodeRecord(record) {
  const out = { error: null, sealHeader: null, envelope: null, body: null };
  try {
    const compact = decodeCompact(td.decode(base64UrlDecode(record)));
    out.sealHeader = compact.header;
    out.envelope = JSON.parse(td.decode(compact.payload));
  } catch (e) {
    out.error = 'the record is not a readable envelope: ' + e.message;
    return out;
  }
  try {
    const bodyBytes = base64UrlDecode(out.envelope.body);
    let general;
    try {
      general = decodeGeneral(JSON.parse(td.decode(bodyBytes)));
    } catch (e) {
      out.body = { raw: bodyBytes };
      return out;
    }
    let payload = null;
    try {
      payload = JSON.parse(general.payloadText);
    } catch (e) {
      payload = null;
    }
    out.body = { payloadText: general.payloadText, payload, signers: general.headers.map((h) => h.kid ?? null), headers: general.headers };
  } catch (e) {
    out.error = 'the envelope body is not base64url: ' + e.message;
  }
  return out;
}

/** The kids the genesis names, each with its member: `kid -> "validator-1 (validator)"`. */
const genesisNames = (() => {
  let forBytes = null;
  let names = null;
  return async function (genesisBytes) {
    if (forBytes === genesisBytes && names) return names;
    const map = new Map();
    try {
      const g = JSON.parse(td.decode(genesisBytes));
      const add = async (members, role) => {
        for (const m of members || []) {
          if (m && m.key && typeof m.key.x === 'string' && typeof m.id === 'string') {
            map.set(await keyIdOfX(m.key.x), { id: m.id, role: m.role || role });
          }
        }
      };
      await add(g.validators && g.validators.members, 'validator');
      await add(g.governance && g.governance.members, 'governance');
      await add(g.instances, 'instance');
    } catch (e) {
      // An unreadable genesis names no one; the sign-in checked it already.
    }
    forBytes = genesisBytes;
    names = map;
    return map;
  };
})();

function signerItem(kid, names) {
  const known = kid && names.get(kid);
  return el(
    'li',
    { data: { kid: kid ?? '' } },
    'signer: ',
    code(kid ?? '(no kid)'),
    known ? ' — ' + known.id + ' (' + known.role + ' in the genesis)' : '',
  );
}

// ------------------------------------------------------------------ shared renderers

function postingsList(postings) {
  if (!Array.isArray(postings) || postings.length === 0) return '—';
  return el(
    'ul',
    { class: 'postings' },
    postings.map((p) =>
      el('li', {}, (p.movement ?? '') + ' ', code(p.debit ?? '—'), ' → ', code(p.credit ?? '—'), ' ' + (p.amount ?? '') + ' ' + (p.asset ?? '')),
    ),
  );
}

function entryLink(id) {
  return id ? link('#/trail/' + encodeURIComponent(id), id) : '—';
}

function blockLink(height) {
  return typeof height === 'number' ? link('#/blocks/' + height, String(height)) : '—';
}

const ENTRY_COLUMNS = ['Id', 'Kind', 'Code', 'Block', 'Position', 'Offset', 'Log time', 'Committed at', 'Postings'];

function entryRows(entries) {
  if (!entries.length) return [emptyRow(ENTRY_COLUMNS.length, 'No entries.')];
  return entries.map((e) =>
    row({ id: e.instructionId ?? '', offset: e.offset, code: e.code ?? '' }, [
      entryLink(e.instructionId),
      e.kind ?? '—',
      e.code ?? '—',
      blockLink(e.height),
      String(e.position ?? '—'),
      String(e.offset ?? '—'),
      logTime(e.logTime),
      time(e.committedAt),
      postingsList(e.postings),
    ]),
  );
}

const VOTE_COLUMNS = ['Validator', 'Log offset', 'Arrived at'];

function votesTable(votes) {
  const rows = (votes || []).map((v) => row({ validator: v.validator }, [v.validator, String(v.offset), time(v.arrivedAt)]));
  return table('votes', 'Votes the ledger counted, in arrival order', VOTE_COLUMNS, rows.length ? rows : [emptyRow(3, 'No votes.')]);
}

function certificateSigners(certificate, names) {
  try {
    const general = decodeGeneral(jsonOf(certificate));
    return el('ul', { id: 'certificate-signers' }, general.headers.map((h) => signerItem(h.kid ?? null, names)));
  } catch (e) {
    return el('p', { id: 'certificate-signers', text: 'The certificate is not readable: ' + e.message });
  }
}

function headerFacts(headerB64) {
  try {
    const header = JSON.parse(base64UrlText(headerB64));
    return definitions('header-fields', Object.entries(header).map(([k, v]) => [k, typeof v === 'string' && v.length === 64 ? code(v) : String(v)]));
  } catch (e) {
    return el('p', { id: 'header-fields', text: 'The header is not readable: ' + e.message });
  }
}

function nextPageLink(route, params, next) {
  if (next === null || next === undefined) return null;
  const p = new URLSearchParams(params);
  p.set('before', String(next));
  return el('p', {}, el('a', { id: 'next-page', href: '#/' + route + '?' + p.toString(), text: 'Next page (older)' }));
}

function pick(params, names) {
  const out = new URLSearchParams();
  for (const name of names) {
    const v = params.get(name);
    if (v !== null && v !== '') out.set(name, v);
  }
  return out;
}

// ------------------------------------------------------------------ receipt verification

let verifier = null;

/** verify.js, loaded on first use so that the rest of the dashboard never depends on it. */
async function loadVerifier() {
  if (!verifier) {
    verifier = import('./verify.js').catch((e) => {
      verifier = null;
      throw e;
    });
  }
  return verifier;
}

const STEP_WORDS = { true: 'passed', false: 'failed', null: 'not reached' };
const STEP_MARKS = { true: '✓', false: '✗', null: '–' };

/** Renders a verifier result into `target`: #verify-steps, #verify-verdict and the facts. */
function renderVerification(target, result) {
  const steps = el(
    'ol',
    { id: 'verify-steps' },
    (result.steps || []).map((s) => {
      const ok = s.ok === true ? 'true' : s.ok === false ? 'false' : 'null';
      return el(
        'li',
        { data: { step: s.id, ok } },
        el('span', { class: 'mark', 'aria-hidden': 'true', text: STEP_MARKS[ok] }),
        el('strong', { class: 'step-status', text: STEP_WORDS[ok] }),
        ' ',
        el('span', { class: 'step-label', text: s.label }),
        s.reason ? el('span', {}, ' — ', code(s.reason)) : '',
        s.detail ? el('span', { class: 'step-detail', text: ' — ' + s.detail }) : '',
      );
    }),
  );
  let verdict;
  if (result.valid) verdict = 'VALID';
  else if (result.reason) verdict = 'INVALID ' + result.reason;
  else verdict = 'NO VERDICT';
  const state = result.valid ? 'valid' : result.reason ? 'invalid' : 'none';
  const children = [
    el('h3', { text: 'Verification' }),
    steps,
    el('p', { id: 'verify-verdict', class: 'verdict', data: { verdict: state }, text: verdict }),
  ];
  if (result.detail) children.push(el('p', { id: 'verify-detail', text: result.detail }));
  if (result.valid && result.verified) {
    children.push(
      definitions(
        'verify-facts',
        Object.entries(result.verified).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ),
    );
  }
  target.replaceChildren(...children);
}

/** Receipt.BYTES_MAX (2 x 256 KiB) and the genesis limit (1 MiB), each plus one byte. */
const RECEIPT_FILE_READ_MAX = 2 * 256 * 1024 + 1;
const GENESIS_FILE_READ_MAX = 1024 * 1024 + 1;

/** No verdict at all, for a verification that could not run: never an earlier verdict left up. */
function noVerdict(target, title, e) {
  target.replaceChildren(el('p', { id: 'verify-verdict', class: 'verdict', data: { verdict: 'none' }, text: 'NO VERDICT' }));
  showProblem({ status: 0, title, detail: e && e.message ? e.message : String(e) });
}

/**
 * Verifies and shows the verdict. With `expected` (the trail's id, code and height), a receipt that
 * verifies but is for another entry than the one shown is INVALID too: a server could hand over a
 * genuine receipt of something else.
 */
async function runVerification(target, receiptBytes, genesisBytes, expected) {
  target.replaceChildren(el('p', { 'aria-busy': 'true', text: 'Verifying…' }));
  let result;
  try {
    const { verifyReceipt } = await loadVerifier();
    result = await verifyReceipt(receiptBytes, genesisBytes);
  } catch (e) {
    noVerdict(target, 'The verifier could not run', e);
    return;
  }
  if (result.valid && expected) {
    const v = result.verified || {};
    const differs = [];
    if (v.instructionId !== expected.instructionId) differs.push('it is for ' + v.instructionId + ', not ' + expected.instructionId);
    if (expected.code !== undefined && v.code !== expected.code) differs.push('its code is ' + v.code + ', the trail shows ' + expected.code);
    if (expected.height !== undefined && String(v.height) !== String(expected.height)) differs.push('its block is ' + v.height + ', the trail shows ' + expected.height);
    if (differs.length) {
      result = { ...result, valid: false, reason: 'NOT_THIS_ENTRY', detail: 'the receipt verifies but ' + differs.join('; ') };
    }
  }
  renderVerification(target, result);
}

// ------------------------------------------------------------------ views

const views = {};

views['sign-in'] = async (ctx) => {
  const holder = el('div');
  await renderSignIn(holder, ctx.params.get('then'));
  return [...holder.childNodes];
};

views.search = async (ctx) => {
  const params = ctx.params;
  const form = el('form', { id: 'search-form', 'aria-label': 'Search entries' });
  const grid = el('div', { class: 'search-grid' });
  const inputs = {};
  const addInput = (name, label, props = {}) => {
    const input = el(props.tag || 'input', { id: 'search-' + name, name, ...props.attrs });
    if (props.options) {
      for (const [value, text] of props.options) input.append(el('option', { value, text }));
    }
    const value = params.get(name);
    if (value !== null) {
      if (props.attrs && props.attrs.type === 'datetime-local' && /^\d+$/.test(value)) {
        input.value = toLocalInput(Number(value));
        input.dataset.ms = value;
        input.dataset.initial = input.value;
      } else {
        input.value = value;
      }
    }
    inputs[name] = input;
    grid.append(el('div', {}, el('label', { for: input.id, text: label }), input));
  };
  addInput('id', 'Instruction or change id', { attrs: { type: 'text', spellcheck: 'false' } });
  addInput('participant', 'Participant', { attrs: { type: 'text', spellcheck: 'false' } });
  addInput('account', 'Account', { attrs: { type: 'text', spellcheck: 'false' } });
  addInput('asset', 'Asset', { attrs: { type: 'text', spellcheck: 'false', autocapitalize: 'characters' } });
  addInput('minAmount', 'Minimum amount (minor units)', { attrs: { type: 'text', inputmode: 'numeric', pattern: '[0-9]+' } });
  addInput('maxAmount', 'Maximum amount (minor units)', { attrs: { type: 'text', inputmode: 'numeric', pattern: '[0-9]+' } });
  addInput('from', 'Log time from (inclusive, local time)', { attrs: { type: 'datetime-local', step: '1' } });
  addInput('to', 'Log time to (exclusive, local time)', { attrs: { type: 'datetime-local', step: '1' } });
  addInput('code', 'Outcome code', { attrs: { type: 'text', list: 'codes', spellcheck: 'false' } });
  addInput('kind', 'Kind', {
    tag: 'select',
    options: [['', 'any'], ['instruction', 'instruction'], ['governance', 'governance'], ['cut', 'cut']],
  });
  const codes = el('datalist', { id: 'codes' }, CODES.map((c) => el('option', { value: c })));
  form.append(
    grid,
    codes,
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', id: 'search-submit', text: 'Search' }), link('#/search', 'Clear')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const query = new URLSearchParams();
    for (const name of SEARCH_PARAMETERS) {
      const input = inputs[name];
      let value = input.value.trim();
      if (value === '') continue;
      if (name === 'from' || name === 'to') {
        if (input.dataset.initial === input.value) {
          value = input.dataset.ms;
        } else {
          const ms = new Date(value).getTime();
          if (Number.isNaN(ms)) continue;
          value = String(ms);
        }
      }
      query.set(name, value);
    }
    if (params.get('limit')) query.set('limit', params.get('limit'));
    navigate('#/search' + (query.toString() ? '?' + query.toString() : ''));
  });

  const apiParams = pick(params, [...SEARCH_PARAMETERS, ...PAGE_PARAMETERS]);
  const url = apiUrl('/entries', apiParams);
  const answer = await getJson(url);
  const entries = Array.isArray(answer.entries) ? answer.entries : [];
  const routeParams = pick(params, [...SEARCH_PARAMETERS, 'limit']);
  return [
    heading('Search entries'),
    form,
    el('h2', { text: 'Results' }),
    exportButtons('search', url),
    table('results', 'Entries, newest first', ENTRY_COLUMNS, entryRows(entries)),
    params.get('before') ? el('p', { class: 'muted', text: 'Older entries than ' + params.get('before') + '.' }) : null,
    nextPageLink('search', routeParams, answer.next),
  ];
};

function toLocalInput(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
}

views.trail = async (ctx) => {
  const id = ctx.arg;
  // The protocol's id syntax: nothing else reaches a URL (no "..", no encoded slash).
  if (!id || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(id)) throw new ViewError('not an instruction id: ' + (id || '(none)'));
  const session = ctx.session;
  const names = await genesisNames(session.genesisBytes);
  const trail = await getJson(API + '/entries/' + encodeURIComponent(id) + '/trail');
  const entries = Array.isArray(trail.entries) ? trail.entries : [];
  const out = [heading('Trail of ' + id)];
  if (!entries.length) {
    out.push(el('p', { text: 'No entry carries this id.' }));
    return out;
  }
  const first = entries[0];
  const decoded = decodeRecord(first.record);
  const envelope = decoded.envelope || {};
  const isGovernance = envelope.type === 'governance';

  // The instruction (or governance change) as its signers signed it.
  const instructionParts = [];
  if (decoded.error) {
    instructionParts.push(el('p', { text: decoded.error }));
  } else if (decoded.body && decoded.body.payloadText !== undefined) {
    instructionParts.push(
      el('h3', { text: 'Payload' }),
      el('pre', { id: 'instruction-payload' }, el('code', { text: decoded.body.payload ? JSON.stringify(decoded.body.payload, null, 2) : decoded.body.payloadText })),
      el('h3', { text: 'Signatures' }),
      el('ul', { id: 'instruction-signers' }, decoded.body.signers.map((kid) => signerItem(kid, names))),
    );
  } else if (decoded.body) {
    instructionParts.push(el('p', { id: 'instruction-payload', text: 'The body is ' + decoded.body.raw.length + ' bytes that are not a JWS.' }));
  }
  out.push(section('instruction', isGovernance ? 'Governance change' : envelope.type === 'cut' ? 'Cut marker' : 'Instruction', instructionParts));

  // The envelope and the instance that sealed it.
  if (decoded.envelope) {
    const kid = decoded.sealHeader && decoded.sealHeader.kid;
    const sealer = kid && names.get(kid);
    out.push(
      section(
        'envelope',
        'Envelope and sealing instance',
        definitions('envelope-fields', [
          ['Type', String(envelope.type)],
          ['Stream', String(envelope.stream) + ' shard ' + String(envelope.shard)],
          ['Producer', String(envelope.producer)],
          ['Epoch', String(envelope.epoch)],
          ['Sequence number', String(envelope.seq)],
          ['Previous record', code(String(envelope.prev))],
          ['Sealed with kid', code(String(kid))],
          [
            'Sealing instance',
            sealer
              ? sealer.id + ' (' + sealer.role + ')' + (sealer.id === envelope.producer ? '' : ' — not the producer the envelope names')
              : 'no instance key of the signed-in genesis',
          ],
        ]),
      ),
    );
  }

  // Outcomes: every log record that carried the id.
  out.push(
    section(
      'outcome',
      'Outcome',
      table(
        'entries',
        'Log records that carried this id, in log order',
        ['Offset', 'Block', 'Position', 'Code', 'Original offset', 'Outcome'],
        entries.map((e) =>
          row({ offset: e.offset, code: e.code ?? '' }, [
            String(e.offset),
            blockLink(e.height),
            String(e.position),
            e.code ?? '—',
            e.originalOffset === null || e.originalOffset === undefined ? '—' : String(e.originalOffset),
            code(typeof e.outcome === 'string' ? e.outcome : JSON.stringify(e.outcome)),
          ]),
        ),
      ),
    ),
  );

  const block = first.block || {};
  out.push(
    section(
      'block',
      'Block',
      definitions('block-fields', [
        ['Height', blockLink(block.height ?? first.height)],
        ['Header SHA-256', code(String(block.headerSha256))],
        ['Previous header SHA-256', code(String(block.prevSha256))],
        ['Log time', logTime(block.logTime)],
        ['Entries', String(block.entryCount)],
        ['Log offsets', String(block.firstOffset) + ' to ' + String(block.lastOffset)],
      ]),
    ),
    section('votes-section', 'Votes', votesTable(trail.votes)),
    section(
      'certificate',
      'Certificate',
      el('p', { text: 'Signers the ledger recorded: ' + (Array.isArray(block.signers) ? block.signers.join(', ') : '—') }),
      block.certificate !== undefined ? certificateSigners(block.certificate, names) : null,
    ),
    section('commit', 'Ledger commit', el('p', { id: 'committed-at' }, 'Committed at ', time(block.committedAt))),
    section(
      'finality',
      'Finality',
      el('p', { id: 'finalized-at', data: { finalized: trail.finalizedAt ? 'true' : 'false' } }, trail.finalizedAt ? ['Finality event published at ', time(trail.finalizedAt)] : 'Not finalized yet: no finality event.'),
    ),
  );

  // The receipt, checked in this browser against the signed-in genesis.
  const result = el('div', { id: 'verify-result' });
  const button = el('button', { type: 'button', id: 'verify-button', text: 'Fetch the receipt and verify it' });
  button.addEventListener('click', async () => {
    document.getElementById('error').replaceChildren();
    result.replaceChildren();
    button.setAttribute('aria-busy', 'true');
    button.disabled = true;
    try {
      const response = await fetch('/v1/instructions/' + encodeURIComponent(id) + '/receipt', {
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(15000),
        credentials: 'omit',
        cache: 'no-store',
      });
      if (!response.ok) {
        showProblem(await problemOf(response));
        result.replaceChildren();
        return;
      }
      // With one entry for the id, the receipt must be that entry's; with several (resubmissions),
      // which one claimed the id is the network's rule, so only the id is compared.
      const expected = entries.length === 1 ? { instructionId: id, code: first.code, height: first.height } : { instructionId: id };
      await runVerification(result, new Uint8Array(await response.arrayBuffer()), session.genesisBytes, expected);
    } catch (e) {
      noVerdict(result, 'The receipt could not be fetched', e);
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  out.push(
    section(
      'receipt',
      'Receipt',
      el('p', { text: 'The receipt proves the outcome offline with the genesis alone; it is checked here, in this browser, against the genesis you signed in with (' + session.network + ').' }),
      button,
      result,
    ),
  );
  return out;
};

views.verify = async (ctx) => {
  const session = ctx.session;
  const receiptFile = el('input', { type: 'file', id: 'receipt-file', name: 'receipt-file', accept: '.json,application/json', required: true });
  const genesisFile = el('input', { type: 'file', id: 'verify-genesis-file', name: 'verify-genesis-file', accept: '.json,application/json', 'aria-describedby': 'verify-genesis-hint' });
  const button = el('button', { type: 'submit', id: 'verify-file-button', text: 'Verify' });
  const result = el('div', { id: 'verify-result' });
  const form = el(
    'form',
    { id: 'verify-form' },
    el('label', { for: 'receipt-file', text: 'Receipt file (JSON)' }),
    receiptFile,
    el('label', { for: 'verify-genesis-file', text: 'Genesis file (optional)' }),
    genesisFile,
    el('small', { id: 'verify-genesis-hint', text: 'Without one, the genesis you signed in with (' + session.network + ') is used.' }),
    button,
  );
  receiptFile.addEventListener('change', () => result.replaceChildren());
  genesisFile.addEventListener('change', () => result.replaceChildren());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    document.getElementById('error').replaceChildren();
    result.replaceChildren();
    const file = receiptFile.files[0];
    if (!file) {
      showProblem({ status: 0, title: 'No receipt', detail: 'choose a receipt file' });
      return;
    }
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      // Bounded reads: one byte past each limit is enough for the verifier to refuse the file as
      // too large (TOO_LARGE, as tally verify-receipt does), whatever the file's size.
      const genesis = genesisFile.files[0]
        ? new Uint8Array(await genesisFile.files[0].slice(0, GENESIS_FILE_READ_MAX).arrayBuffer())
        : session.genesisBytes;
      await runVerification(result, new Uint8Array(await file.slice(0, RECEIPT_FILE_READ_MAX).arrayBuffer()), genesis);
    } catch (e) {
      noVerdict(result, 'The files could not be read', e);
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return [
    heading('Verify a receipt'),
    el('p', { text: 'Checks a receipt offline, in this browser: the block header against the genesis, the quorum certificate, both inclusion proofs, the envelope and the outcome.' }),
    form,
    result,
  ];
};

const BLOCK_COLUMNS = ['Height', 'Header SHA-256', 'Previous', 'Linked', 'Entries', 'Codes', 'Log time', 'Committed at'];

function codesText(codes) {
  if (!codes || typeof codes !== 'object') return '—';
  const parts = Object.entries(codes).map(([c, n]) => c + ' ' + n);
  return parts.length ? parts.join(', ') : '—';
}

views.blocks = async (ctx) => {
  const apiParams = pick(ctx.params, PAGE_PARAMETERS);
  const url = apiUrl('/blocks', apiParams);
  const answer = await getJson(url);
  const blocks = Array.isArray(answer.blocks) ? answer.blocks : [];
  // The oldest row on this page links to the newest of the next page; ask for that one block.
  let older = null;
  if (blocks.length && answer.next !== null && answer.next !== undefined) {
    try {
      const more = await getJson(apiUrl('/blocks', new URLSearchParams({ limit: '1', before: String(answer.next) })));
      older = Array.isArray(more.blocks) && more.blocks.length ? more.blocks[0] : null;
    } catch (e) {
      if (e instanceof AuthError) throw e;
      older = undefined;
    }
  }
  const rows = blocks.map((b, i) => {
    const next = i + 1 < blocks.length ? blocks[i + 1] : older;
    let linked;
    const hex = (h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);
    if (next && hex(b.prevSha256) && hex(next.headerSha256)) linked = String(b.prevSha256 === next.headerSha256);
    else if (next) linked = 'unknown';
    else if (next === null && (answer.next === null || answer.next === undefined)) linked = String(b.prevSha256 === ZERO_HASH); // the first block of the chain
    else linked = 'unknown';
    const linkedText = linked === 'true' ? '✓ linked' : linked === 'false' ? '✗ not linked' : '? unknown';
    return row({ height: b.height, linked }, [
      blockLink(b.height),
      shortHash(b.headerSha256),
      shortHash(b.prevSha256),
      el('span', { class: 'status-' + (linked === 'true' ? 'ok' : linked === 'false' ? 'bad' : 'none'), text: linkedText }),
      String(b.entryCount),
      codesText(b.codes),
      logTime(b.logTime),
      time(b.committedAt),
    ]);
  });
  return [
    heading('Blocks'),
    el('p', { text: 'Newest first. "Linked" checks that each block names the header hash of the block before it; the oldest block names the zero hash.' }),
    exportButtons('blocks', url),
    table('blocks', 'The chain, newest first', BLOCK_COLUMNS, rows.length ? rows : [emptyRow(BLOCK_COLUMNS.length, 'No blocks yet.')]),
    nextPageLink('blocks', pick(ctx.params, ['limit']), answer.next),
  ];
};

views.block = async (ctx) => {
  const height = ctx.arg;
  if (!/^\d+$/.test(height || '')) throw new ViewError('a block height is a number');
  const names = await genesisNames(ctx.session.genesisBytes);
  const b = await getJson(API + '/blocks/' + height);
  const entries = Array.isArray(b.entries) ? b.entries : [];
  const nav = el(
    'p',
    { class: 'block-nav' },
    b.height > 0 ? link('#/blocks/' + (b.height - 1), '← Block ' + (b.height - 1)) : null,
    ' ',
    link('#/blocks/' + (b.height + 1), 'Block ' + (b.height + 1) + ' →'),
  );
  return [
    heading('Block ' + b.height),
    nav,
    section(
      'block',
      'Summary',
      definitions('block-fields', [
        ['Height', String(b.height)],
        ['Header SHA-256', code(String(b.headerSha256))],
        ['Previous header SHA-256', b.height > 0 ? link('#/blocks/' + (b.height - 1), String(b.prevSha256)) : code(String(b.prevSha256))],
        ['Entries', String(b.entryCount)],
        ['Log offsets', String(b.firstOffset) + ' to ' + String(b.lastOffset)],
        ['Codes', codesText(b.codes)],
        ['Log time', logTime(b.logTime)],
        ['Committed at', time(b.committedAt)],
        ...('finalizedAt' in b ? [['Finality event', b.finalizedAt ? time(b.finalizedAt) : 'not published yet']] : []),
      ]),
    ),
    b.header ? section('header', 'Header (as signed)', headerFacts(b.header)) : null,
    section(
      'certificate',
      'Certificate',
      el('p', { id: 'block-signers', text: 'Signers: ' + (Array.isArray(b.signers) ? b.signers.join(', ') : '—') }),
      b.certificate !== undefined ? certificateSigners(b.certificate, names) : null,
    ),
    section('votes-section', 'Votes', votesTable(b.votes)),
    section('entries-section', 'Entries', table('results', 'Entries of this block, as in the search', ENTRY_COLUMNS, entryRows(entries))),
  ];
};

views.validators = async (ctx) => {
  const url = API + '/validators';
  const stalled = el('p', { id: 'stalled', class: 'status-banner' });
  const heights = el('p', { id: 'heights' });
  const tbody = el('tbody');
  const columns = ['Validator', 'Last vote height', 'Last vote at', 'Lag', 'Vote for the awaited block', 'Equivocations'];
  const t = el(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': 'Validators', tabindex: '0' },
    el('table', { id: 'validators', class: 'striped' }, el('caption', { text: 'Validators' }), el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', text: c })))), tbody),
  );
  const alarms = el('ul', { id: 'alarms' });
  const evidenceBody = el('tbody');
  const evidence = el(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': 'Evidence', tabindex: '0' },
    el('table', { id: 'evidence', class: 'striped' }, el('caption', { text: 'Evidence of misbehaviour' }), el('thead', {}, el('tr', {}, ['Kind', 'Height', 'Validator', 'Description', 'Detected at'].map((c) => el('th', { scope: 'col', text: c })))), evidenceBody),
  );
  const updated = el('p', { class: 'muted', id: 'validators-updated' });
  let last = null;

  const render = (v) => {
    const list = Array.isArray(v.validators) ? v.validators : [];
    const missing = list.filter((x) => x.missing).map((x) => x.id);
    stalled.dataset.stalled = v.stalled ? 'true' : 'false';
    stalled.className = 'status-banner ' + (v.stalled ? 'status-bad' : 'status-ok');
    stalled.textContent = v.stalled
      ? 'Finalization stalled: ' + (missing.length ? 'missing votes from ' + missing.join(', ') : 'no validator reported missing') + (v.waiting ? ' — ' + v.waiting : '')
      : 'Finalizing';
    heights.textContent = 'Quorum ' + v.quorum + '; committed height ' + v.committedHeight + ', computed height ' + v.computedHeight + (v.waiting && !v.stalled ? '; ' + v.waiting : '');
    tbody.replaceChildren(
      ...list.map((x) =>
        row({ validator: x.id, missing: x.missing ? 'true' : 'false' }, [
          x.id,
          String(x.lastVoteHeight ?? '—'),
          time(x.lastVoteAt),
          String(x.lag ?? '—'),
          el('span', { class: x.missing ? 'status-bad' : 'status-ok', text: x.missing ? '✗ missing' : '✓ voted' }),
          el('span', { class: x.equivocations > 0 ? 'status-bad' : '', text: String(x.equivocations ?? 0) }),
        ]),
      ),
    );
    if (!list.length) tbody.append(emptyRow(columns.length, 'No validators.'));
    const alarmList = Array.isArray(v.alarms) ? v.alarms : [];
    alarms.replaceChildren(...(alarmList.length ? alarmList.map((a) => el('li', { class: 'status-bad', text: String(a) })) : [el('li', { text: 'No alarms.' })]));
    const ev = Array.isArray(v.evidence) ? v.evidence : [];
    evidenceBody.replaceChildren(
      ...(ev.length
        ? ev.map((e) => row({ validator: e.validator, kind: e.kind }, [e.kind, blockLink(e.height), e.validator, e.description ?? '', time(e.detectedAt)]))
        : [emptyRow(5, 'No evidence.')]),
    );
  };

  const refresh = async () => {
    const response = await authorizedFetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      showProblem(await problemOf(response));
      throw new ViewError('validators');
    }
    const text = await response.text();
    updated.textContent = 'Updated ' + new Date().toISOString() + '; refreshed every 2 seconds.';
    // Unchanged answers leave the DOM alone, so focus and screen readers are not disturbed.
    if (text !== last) {
      last = text;
      render(JSON.parse(text));
    }
  };
  await refresh();

  let timer = null;
  const schedule = () => {
    timer = setTimeout(async () => {
      if (!ctx.current()) return;
      if (!document.hidden) {
        try {
          await refresh();
          document.getElementById('error').replaceChildren();
        } catch (e) {
          if (e instanceof AuthError) return; // shown already; stop refreshing
          if (!(e instanceof ViewError)) showProblem({ status: 0, title: 'Refresh failed', detail: e.message });
        }
      }
      if (ctx.current()) schedule();
    }, VALIDATORS_REFRESH_MS);
  };
  ctx.after(schedule);
  ctx.cleanup(() => clearTimeout(timer));

  return [
    heading('Validators'),
    stalled,
    heights,
    exportButtons('validators', url),
    t,
    el('h2', { text: 'Alarms' }),
    alarms,
    el('h2', { text: 'Evidence' }),
    evidence,
    updated,
  ];
};

function bigOrNull(s) {
  try {
    return typeof s === 'string' && /^\d+$/.test(s) ? BigInt(s) : null;
  } catch (e) {
    return null;
  }
}

views['balance-sheet'] = async () => {
  const url = API + '/balance-sheet';
  const sheet = await getJson(url);
  if (!Array.isArray(sheet.assets)) throw new ViewError('the balance sheet has no list of assets');
  const assets = sheet.assets;
  const failing = [];
  const rows = assets.map((a) => {
    // Checked here as well: the ledger's "balanced" flag is not taken on trust.
    const d = bigOrNull(a.debits), c = bigOrNull(a.credits), pd = bigOrNull(a.pendingDebits), pc = bigOrNull(a.pendingCredits);
    const computed = d !== null && c !== null && pd !== null && pc !== null && d === c && pd === pc;
    const balanced = computed && a.balanced === true;
    if (!balanced) failing.push(a.asset + (computed !== (a.balanced === true) ? ' (the ledger says ' + (a.balanced ? 'balanced' : 'not balanced') + ')' : ''));
    return row({ asset: a.asset, balanced: balanced ? 'true' : 'false' }, [
      a.asset,
      String(a.accounts),
      a.debits,
      a.credits,
      a.pendingDebits,
      a.pendingCredits,
      el('span', { class: balanced ? 'status-ok' : 'status-bad', text: balanced ? '✓ balanced' : '✗ not balanced' }),
    ]);
  });
  // The answer's overall flag (when present) must agree as well.
  if (sheet.balanced === false && failing.length === 0) failing.push('the ledger reports the sheet as not balanced');
  const ok = failing.length === 0;
  return [
    heading('Balance sheet'),
    el('p', { text: 'As of height ' + sheet.height + '. Amounts in minor units. Posted debits must equal posted credits and pending debits pending credits, per asset.' }),
    assets.length === 0
      ? el('p', { id: 'conservation', class: 'status-banner', data: { balanced: 'unknown' }, text: 'No asset has an account yet: nothing to balance.' })
      : el('p', { id: 'conservation', class: 'status-banner ' + (ok ? 'status-ok' : 'status-bad'), data: { balanced: ok ? 'true' : 'false' }, text: ok ? 'Debits equal credits for every asset' : 'Debits do not equal credits for: ' + failing.join(', ') }),
    exportButtons('balance-sheet', url),
    table(
      'balance-sheet',
      'Per asset',
      ['Asset', 'Accounts', 'Debits', 'Credits', 'Pending debits', 'Pending credits', 'Conservation'],
      rows.length ? rows : [emptyRow(7, 'No assets.')],
    ),
  ];
};

views.governance = async (ctx) => {
  const names = await genesisNames(ctx.session.genesisBytes);
  const apiParams = pick(ctx.params, PAGE_PARAMETERS);
  const url = apiUrl('/governance', apiParams);
  const answer = await getJson(url);
  const entries = Array.isArray(answer.entries) ? answer.entries : [];
  const columns = ['Id', 'Code (what the network decided)', 'Block', 'Committed at', 'Change', 'Approvers'];
  const rows = entries.map((e) => {
    const decoded = e.record ? decodeRecord(e.record) : { error: 'no record' };
    const payload = decoded.body && decoded.body.payload;
    const kind = payload && typeof payload.kind === 'string' ? payload.kind : decoded.error ? 'unreadable' : '—';
    const approvers = decoded.body && decoded.body.signers ? el('ul', { class: 'approvers' }, decoded.body.signers.map((kid) => signerItem(kid, names))) : '—';
    return row({ id: e.instructionId ?? '', code: e.code ?? '', kind }, [
      entryLink(e.instructionId),
      e.code ?? '—',
      blockLink(e.height),
      time(e.committedAt),
      kind,
      approvers,
    ]);
  });
  return [
    heading('Governance'),
    el('p', { text: 'Changes to the directory as their administrators signed them, newest first, with the outcome the network decided.' }),
    exportButtons('governance', url),
    table('governance', 'Governance entries, newest first', columns, rows.length ? rows : [emptyRow(columns.length, 'No governance entries.')]),
    nextPageLink('governance', pick(ctx.params, ['limit']), answer.next),
  ];
};

views.charts = async (ctx) => {
  const url = API + '/series?seconds=' + SERIES_SECONDS;
  const answer = await getJson(url);
  const series = Array.isArray(answer.series) ? answer.series : [];
  const xs = series.map((s) => s.at);
  const codes = [...new Set(series.flatMap((s) => Object.keys(s.rejections || {})))].sort();

  const charts = [
    {
      id: 'chart-settlements',
      caption: 'Certified settlements per second',
      unit: 'settlements/s',
      lines: [{ label: 'settlements/s', values: series.map((s) => s.settlements ?? 0) }],
    },
    {
      id: 'chart-latency',
      caption: 'Finality latency, p50 and p99 (ms): ledger commit time minus block log time',
      unit: 'ms',
      lines: [
        { label: 'p50 ms', values: series.map((s) => s.latencyP50Ms ?? null) },
        { label: 'p99 ms', values: series.map((s) => s.latencyP99Ms ?? null) },
      ],
    },
    {
      id: 'chart-rejections',
      caption: 'Rejections per second, by code',
      unit: 'rejections/s',
      lines: codes.length
        ? codes.map((c) => ({ label: c, values: series.map((s) => (s.rejections && s.rejections[c]) || 0) }))
        : [{ label: 'all codes', values: series.map(() => 0) }],
    },
  ];

  const figures = charts.map((c) => {
    const plot = el('div', { class: 'chart', id: c.id, 'aria-hidden': 'true' });
    const headRow = el('tr', {}, el('th', { scope: 'col', text: 'Second (UTC)' }), c.lines.map((l) => el('th', { scope: 'col', text: l.label })));
    const bodyRows = xs.map((x, i) =>
      el('tr', {}, el('th', { scope: 'row', text: new Date(x * 1000).toISOString() }), c.lines.map((l) => el('td', { text: l.values[i] === null ? '—' : String(l.values[i]) }))),
    );
    const data = el('table', { class: 'visually-hidden', data: { chart: c.id } }, el('caption', { text: c.caption }), el('thead', {}, headRow), el('tbody', {}, bodyRows));
    c.plot = plot;
    return el('figure', { 'aria-labelledby': c.id + '-caption' }, el('figcaption', { id: c.id + '-caption', text: c.caption }), plot, data);
  });

  const plots = [];
  const draw = () => {
    for (const p of plots) p.destroy();
    plots.length = 0;
    if (typeof globalThis.uPlot !== 'function') {
      for (const c of charts) c.plot.replaceChildren(el('p', { text: 'Charts need uPlot, which did not load; the data is in the table below.' }));
      return;
    }
    for (const c of charts) {
      const width = Math.max(280, Math.floor(c.plot.clientWidth || c.plot.parentElement.clientWidth || 600));
      const options = {
        width,
        height: 220,
        series: [
          { label: 'time' },
          ...c.lines.map((l, i) => ({
            label: l.label,
            stroke: SERIES_COLOURS[i % SERIES_COLOURS.length],
            dash: SERIES_DASHES[i % SERIES_DASHES.length],
            width: 2,
            spanGaps: false,
          })),
        ],
        axes: [{}, { label: c.unit }],
        scales: { x: { time: true } },
      };
      c.plot.replaceChildren();
      plots.push(new globalThis.uPlot(options, [xs, ...c.lines.map((l) => l.values)], c.plot));
    }
  };
  let resizeTimer = null;
  const onResize = () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => ctx.current() && draw(), 200);
  };
  ctx.after(() => {
    draw();
    window.addEventListener('resize', onResize);
  });
  ctx.cleanup(() => {
    window.removeEventListener('resize', onResize);
    clearTimeout(resizeTimer);
    for (const p of plots) p.destroy();
  });

  return [
    heading('Charts'),
    el('p', { text: 'Per second of commit time over the last ' + SERIES_SECONDS + ' seconds (' + series.length + ' seconds with data).' }),
    exportButtons('charts', url),
    el('div', { class: 'charts' }, figures),
  ];
};

views['not-found'] = async () => [heading('Not found'), el('p', {}, 'No such view. ', link('#/search', 'Search entries'))];

// ------------------------------------------------------------------ router

const TITLES = {
  'sign-in': 'Sign in',
  search: 'Search',
  trail: 'Trail',
  verify: 'Verify a receipt',
  blocks: 'Blocks',
  block: 'Block',
  validators: 'Validators',
  'balance-sheet': 'Balance sheet',
  governance: 'Governance',
  charts: 'Charts',
  'not-found': 'Not found',
};

/** `#/trail/abc?x=1` as `{name: 'trail', arg: 'abc', params}`. */
function parseHash(hash) {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const segments = path.split('/').filter((s) => s !== '');
  let name = segments[0] || 'search';
  let arg = null;
  try {
    arg = segments.length > 1 ? decodeURIComponent(segments.slice(1).join('/')) : null;
  } catch (e) {
    name = 'not-found';
  }
  if (name === 'blocks' && arg !== null) name = 'block';
  if (name === 'trail' && arg === null) name = 'not-found';
  if (!(name in views)) name = 'not-found';
  return { name, arg, params };
}

let navigation = 0;
let cleanups = [];

/** Goes to `hash`, rendering again when it is the current one (a repeated search). */
function navigate(hash) {
  if (location.hash === hash) route(true);
  else location.hash = hash;
}

async function route(moveFocus) {
  const token = ++navigation;
  const view = document.getElementById('view');
  view.dataset.loaded = 'false';
  view.setAttribute('aria-busy', 'true');
  for (const fn of cleanups) {
    try {
      fn();
    } catch (e) {
      // A view's cleanup must not stop the next view.
    }
  }
  cleanups = [];
  document.getElementById('error').replaceChildren();

  if (!location.hash.startsWith('#/')) {
    location.replace('#/search');
    return;
  }
  const { name, arg, params } = parseHash(location.hash);
  const session = await currentSession();
  if (token !== navigation) return;
  if (name !== 'sign-in' && !session) {
    location.replace(signInHash(location.hash));
    return;
  }
  markNav(name);
  document.title = (TITLES[name] || name) + (arg ? ' ' + arg : '') + ' — Tally audit';

  const afters = [];
  const ctx = {
    name,
    arg,
    params,
    session,
    current: () => token === navigation,
    after: (fn) => afters.push(fn),
    cleanup: (fn) => cleanups.push(fn),
  };
  let nodes;
  try {
    nodes = await views[name](ctx);
  } catch (e) {
    if (token !== navigation) return;
    if (!(e instanceof ViewError) && !(e instanceof AuthError)) {
      showProblem({ status: 0, title: 'The view could not be shown', detail: e && e.message ? e.message : String(e) });
    }
    nodes = [heading(TITLES[name] || name), el('p', { class: 'muted', text: 'Nothing to show: see the error above.' })];
    afters.length = 0;
  }
  if (token !== navigation) {
    return;
  }
  view.replaceChildren(...nodes.filter((n) => n));
  for (const fn of afters) {
    try {
      fn();
    } catch (e) {
      showProblem({ status: 0, title: 'Part of the view could not be drawn', detail: e && e.message ? e.message : String(e) });
    }
  }
  document.body.dataset.view = name;
  view.removeAttribute('aria-busy');
  view.dataset.loaded = 'true';
  if (moveFocus) {
    const h1 = view.querySelector('h1');
    if (h1) h1.focus({ preventScroll: false });
  }
}

function markNav(name) {
  const current = name === 'block' ? 'blocks' : name === 'trail' ? 'search' : name;
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function showSession(session) {
  const box = document.getElementById('session');
  const who = document.getElementById('signed-in-as');
  if (session) {
    who.textContent = session.participant;
    box.hidden = false;
  } else {
    who.textContent = '';
    box.hidden = true;
  }
}

async function start() {
  onSessionChange(showSession);
  showSession(await currentSession());
  document.getElementById('sign-out').addEventListener('click', async () => {
    try {
      await signOut();
    } catch (e) {
      showProblem({ status: 0, title: 'The stored key could not be deleted', detail: 'it may come back after a reload: clear this site\'s data in the browser (' + (e && e.message ? e.message : e) + ')' });
    }
    location.hash = '#/sign-in';
  });
  // The skip link must not replace the route in the hash.
  document.getElementById('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('view').focus();
  });
  window.addEventListener('hashchange', () => route(true));
  await route(false);
}

start();
