// Sign-in and access tokens for the Tally audit dashboard (ADR 0010).
//
// The auditor gives a participant id, the participant's Ed25519 key file (PKCS#8 PEM, the form
// `openssl genpkey -algorithm ed25519` writes and PrivateKeyFile reads) and the network's genesis
// file. The key is imported into WebCrypto as a non-extractable CryptoKey and kept, with the kid,
// the genesis bytes and the audience, in IndexedDB (a structured clone of the CryptoKey), so reloads
// and deep links stay signed in. The PEM text is not stored and no key material leaves the browser:
// every request carries a fresh one-minute token this module signs (authorizedFetch).

const DB_NAME = 'tally-dashboard';
const DB_VERSION = 1;
const STORE = 'session';
const SESSION_KEY = 'current';

/** Member.ID_PATTERN: a participant or network id. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** PrivateKeyFile: the DER is always these 16 bytes and the 32-byte seed. */
const PKCS8_ED25519_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
const PKCS8_BYTES = PKCS8_ED25519_PREFIX.length + 32;
const KEY_FILE_BYTES_MAX = 4096;
const GENESIS_BYTES_MAX = 1024 * 1024;
/** The gateway's own wait for the ledger is 10 s; a little more here. */
const FETCH_TIMEOUT_MS = 15000;
const TOKEN_LIFETIME_S = 60;
const TOKEN_ID_BYTES = 16;

const te = new TextEncoder();
const td = new TextDecoder('utf-8', { fatal: true });

// ------------------------------------------------------------------ base64url and kids

/** Unpadded base64url of bytes (Uint8Array or ArrayBuffer). */
export function base64UrlEncode(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < b.length; i++) binary += String.fromCharCode(b[i]);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of unpadded (or padded) base64url text; throws on anything else. */
export function base64UrlDecode(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*={0,2}$/.test(text)) {
    throw new Error('not base64url');
  }
  const b64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '==='.slice((b64.length + 3) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** UTF-8 text of base64url bytes. */
export function base64UrlText(text) {
  return td.decode(base64UrlDecode(text));
}

/** RFC 7638 thumbprint of an Ed25519 public key given as its JWK `x`: the protocol's kid. */
export async function keyIdOfX(x) {
  const canonical = '{"crv":"Ed25519","kty":"OKP","x":"' + x + '"}';
  return base64UrlEncode(await crypto.subtle.digest('SHA-256', te.encode(canonical)));
}

// ------------------------------------------------------------------ IndexedDB

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      let result;
      request.onsuccess = () => {
        result = request.result;
      };
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

let cached; // undefined: not loaded yet; null: signed out

/** The stored session `{participant, kid, privateKey, genesisBytes, audience, network}` or null. */
export async function currentSession() {
  if (cached === undefined) {
    try {
      const stored = await withStore('readonly', (s) => s.get(SESSION_KEY));
      cached = isSession(stored) ? stored : null;
    } catch (e) {
      cached = null;
    }
  }
  return cached;
}

function isSession(s) {
  return (
    s != null &&
    typeof s.participant === 'string' &&
    typeof s.kid === 'string' &&
    typeof s.audience === 'string' &&
    s.privateKey instanceof CryptoKey &&
    s.genesisBytes instanceof Uint8Array
  );
}

/** Deletes the stored session. */
export async function signOut() {
  cached = null;
  try {
    await withStore('readwrite', (s) => s.delete(SESSION_KEY));
  } finally {
    notify(); // signed out on this page whatever the storage did; a failure is the caller's to show
  }
}

const listeners = new Set();

/** Calls `listener(session|null)` whenever the session changes. */
export function onSessionChange(listener) {
  listeners.add(listener);
}

function notify() {
  for (const listener of listeners) listener(cached);
}

// ------------------------------------------------------------------ sign-in

/** Reads the DER of a PEM private key file, refusing anything but an Ed25519 PKCS#8 key. */
function pkcs8Of(pemText) {
  const BEGIN = '-----BEGIN PRIVATE KEY-----';
  const END = '-----END PRIVATE KEY-----';
  const text = pemText.trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
    throw new Error('the key file is not a PEM private key (expected ' + BEGIN + ')');
  }
  const body = text.slice(BEGIN.length, text.length - END.length).replace(/\s/g, '');
  let der;
  try {
    const binary = atob(body);
    der = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i);
  } catch (e) {
    throw new Error('the key file has invalid base64 between its PEM lines');
  }
  if (der.length !== PKCS8_BYTES || PKCS8_ED25519_PREFIX.some((b, i) => der[i] !== b)) {
    der.fill(0);
    throw new Error('the key file is not an Ed25519 PKCS#8 private key (RFC 8410)');
  }
  return der;
}

/** The network id of a genesis file (the `network` member of version 1). */
function networkOf(genesisBytes) {
  let root;
  try {
    root = JSON.parse(td.decode(genesisBytes));
  } catch (e) {
    throw new Error('the genesis file is not UTF-8 JSON');
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new Error('the genesis file is not a JSON object');
  }
  if (root.version !== 1) throw new Error('the genesis file is not version 1');
  if (typeof root.network !== 'string' || !ID_PATTERN.test(root.network)) {
    throw new Error('the genesis "network" member is not a network id');
  }
  return root.network;
}

/**
 * Signs in: imports the key (non-extractable), derives its kid, stores the session.
 *
 * @param participant the auditor's participant id
 * @param keyFile a File (or Blob) holding the PEM key
 * @param genesisFile a File (or Blob) holding the genesis JSON
 */
export async function signIn(participant, keyFile, genesisFile) {
  if (!ID_PATTERN.test(participant)) {
    throw new Error('a participant id is 1 to 64 lowercase letters, digits, ".", "_" or "-"');
  }
  if (!keyFile) throw new Error('choose your key file');
  if (!genesisFile) throw new Error("choose the network's genesis file");
  if (keyFile.size > KEY_FILE_BYTES_MAX) throw new Error('the key file is too large to be an Ed25519 key');
  if (genesisFile.size > GENESIS_BYTES_MAX) throw new Error('the genesis file exceeds 1 MiB');
  const genesisBytes = new Uint8Array(await genesisFile.arrayBuffer());
  const network = networkOf(genesisBytes);
  const der = pkcs8Of(await keyFile.text());
  let privateKey;
  let x;
  try {
    // Imported once extractable, only to read the public key: WebCrypto cannot derive a public
    // key from a non-extractable private one. That key object is dropped right after.
    let exportable = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
    const jwk = await crypto.subtle.exportKey('jwk', exportable);
    x = jwk.x;
    jwk.d = undefined;
    exportable = null;
    privateKey = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  } catch (e) {
    if (e && e.name === 'NotSupportedError') {
      throw new Error('this browser has no Ed25519 in WebCrypto; use a current Chromium or Firefox');
    }
    throw new Error('the key file could not be imported as an Ed25519 key');
  } finally {
    der.fill(0);
  }
  if (typeof x !== 'string') throw new Error('the browser did not give the public key');
  const kid = await keyIdOfX(x);
  const session = {
    participant,
    kid,
    privateKey,
    genesisBytes,
    audience: 'urn:tally:' + network + ':gateway',
    network,
  };
  await withStore('readwrite', (s) => s.put(session, SESSION_KEY));
  cached = session;
  notify();
  return session;
}

// ------------------------------------------------------------------ tokens and requests

/** A fresh access token (compact JWS, typ tally-access+jwt) for the session. */
export async function accessToken(session) {
  const header = '{"alg":"EdDSA","kid":' + JSON.stringify(session.kid) + ',"typ":"tally-access+jwt"}';
  const now = Math.floor(Date.now() / 1000);
  const jti = base64UrlEncode(crypto.getRandomValues(new Uint8Array(TOKEN_ID_BYTES)));
  const claims = JSON.stringify({
    iss: session.participant,
    sub: session.participant,
    aud: session.audience,
    iat: now,
    exp: now + TOKEN_LIFETIME_S,
    jti,
  });
  const signingInput = base64UrlEncode(te.encode(header)) + '.' + base64UrlEncode(te.encode(claims));
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, session.privateKey, te.encode(signingInput));
  return signingInput + '.' + base64UrlEncode(signature);
}

/** Raised for a request the gateway refused (401, 403) or one made while signed out. */
export class AuthError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
  }
}

/** The Problem Details (RFC 9457) of a response, or a stand-in for another body. */
export async function problemOf(response) {
  let problem = null;
  try {
    const text = await response.text();
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') problem = parsed;
  } catch (e) {
    problem = null;
  }
  return {
    status: response.status,
    type: problem && typeof problem.type === 'string' ? problem.type : null,
    title: problem && typeof problem.title === 'string' ? problem.title : response.statusText || 'HTTP ' + response.status,
    detail: problem && typeof problem.detail === 'string' ? problem.detail : '',
  };
}

/** Shows a problem in #error; for a 401 it offers to sign in again. */
export function showProblem(problem) {
  const box = document.getElementById('error');
  box.replaceChildren();
  const p = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = problem.title;
  p.append(strong);
  if (problem.detail) p.append(': ' + problem.detail);
  if (problem.status) p.append(' (HTTP ' + problem.status + (problem.type ? ', ' + problem.type : '') + ')');
  box.append(p);
  if (problem.status === 401) {
    const again = document.createElement('a');
    again.id = 'sign-in-again';
    again.href = signInHash(location.hash);
    again.textContent = 'Sign in again';
    box.append(again);
  }
}

/** The sign-in route that comes back to `hash` afterwards. */
export function signInHash(hash) {
  const then = hash && hash.startsWith('#/') && !hash.startsWith('#/sign-in') ? hash : '#/search';
  return '#/sign-in?then=' + encodeURIComponent(then);
}

/**
 * fetch() with a fresh access token. A 401 or 403 answer shows its Problem Details in #error and
 * throws AuthError; every other answer is returned as it is.
 */
export async function authorizedFetch(url, options = {}) {
  const session = await currentSession();
  if (!session) {
    location.replace(signInHash(location.hash));
    throw new AuthError('not signed in', 401);
  }
  const headers = new Headers(options.headers || {});
  headers.set('Authorization', 'Bearer ' + (await accessToken(session)));
  // A gateway that does not answer ends in an error the view shows, not in "Loading..." for ever.
  const signal = options.signal || AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const response = await fetch(url, { ...options, headers, signal, credentials: 'omit', cache: 'no-store' });
  if (response.status === 401 || response.status === 403) {
    const problem = await problemOf(response);
    showProblem(problem);
    throw new AuthError(problem.title + (problem.detail ? ': ' + problem.detail : ''), response.status);
  }
  return response;
}

// ------------------------------------------------------------------ the sign-in view

function field(labelText, input, hint) {
  const label = document.createElement('label');
  label.htmlFor = input.id;
  label.textContent = labelText;
  const parts = [label, input];
  if (hint) {
    const small = document.createElement('small');
    small.id = input.id + '-hint';
    small.textContent = hint;
    input.setAttribute('aria-describedby', small.id);
    parts.push(small);
  }
  return parts;
}

/**
 * Renders the sign-in form into `view`; after signing in, navigates to `then` (a hash route).
 * Resolves once the form is in place.
 */
export async function renderSignIn(view, then) {
  const session = await currentSession();
  const h1 = document.createElement('h1');
  h1.tabIndex = -1;
  h1.textContent = 'Sign in';
  const intro = document.createElement('p');
  intro.textContent =
    'Your key stays in this browser: it is imported as a non-extractable WebCrypto key and signs a ' +
    'one-minute access token for every request. The key file text is not stored.';
  const form = document.createElement('form');
  form.id = 'sign-in-form';
  form.noValidate = false;

  const participant = document.createElement('input');
  participant.id = 'participant';
  participant.name = 'participant';
  participant.required = true;
  participant.autocomplete = 'username';
  participant.pattern = '[a-z0-9][a-z0-9._\\-]{0,63}';
  participant.spellcheck = false;
  if (session) participant.value = session.participant;

  const keyFile = document.createElement('input');
  keyFile.type = 'file';
  keyFile.id = 'key-file';
  keyFile.name = 'key-file';
  keyFile.required = true;
  keyFile.accept = '.pem,.key,application/x-pem-file,text/plain';

  const genesisFile = document.createElement('input');
  genesisFile.type = 'file';
  genesisFile.id = 'genesis-file';
  genesisFile.name = 'genesis-file';
  genesisFile.required = true;
  genesisFile.accept = '.json,application/json';

  const button = document.createElement('button');
  button.type = 'submit';
  button.id = 'sign-in';
  button.textContent = 'Sign in';

  const status = document.createElement('p');
  status.id = 'sign-in-status';

  form.append(
    ...field('Participant id', participant, 'Your auditor participant id, for example auditor-1.'),
    ...field('Key file (PKCS#8 PEM, Ed25519)', keyFile),
    ...field('Genesis file (network.json)', genesisFile, 'The audience of your tokens is the network it names.'),
    button,
  );
  if (session) {
    status.textContent = 'Signed in as ' + session.participant + ' (key ' + session.kid + ', network ' + session.network + ').';
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    document.getElementById('error').replaceChildren();
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await signIn(participant.value.trim(), keyFile.files[0], genesisFile.files[0]);
      status.textContent = 'Signed in as ' + participant.value.trim() + '.';
      location.hash = then && then.startsWith('#/') && !then.startsWith('#/sign-in') ? then : '#/search';
    } catch (e) {
      showProblem({ status: 0, type: null, title: 'Sign-in failed', detail: e.message });
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  view.replaceChildren(h1, intro, form, status);
}
