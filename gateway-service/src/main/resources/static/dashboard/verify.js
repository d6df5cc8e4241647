// Tally receipt verifier for the browser (and Node 20): WebCrypto only, no dependencies.
//
// verifyReceipt(receipt, genesisBytes) reaches the verdict of the Java verifier
//   io.tally.protocol.receipt.Receipt.parse(bytes).verify(Genesis.parse(genesisBytes))
// with the same first failing Reason code, checking the same things in the same order
// (what `tally verify-receipt FILE --genesis G --json` prints). Nothing in a receipt is taken on
// trust; only the genesis file the auditor supplies is.
//
// Mirrored Java, in protocol/src/main/java/io/tally/protocol/:
//   codec/JsonReader, JsonObject   strict JSON: UTF-8, no BOM, no duplicate members, integers only
//                                  (64-bit, no leading zeros), no lone surrogates, depth limits
//   codec/Base64Url, Hex, Hash     canonical unpadded base64url; 64 lowercase hex characters
//   keys/Jwk, VerificationKey      public Ed25519 JWKs, RFC 7638 kid, full-order point check
//   genesis/Genesis, Committee     the genesis file, its hash (SHA-256 of the exact bytes)
//   jws/ProtectedHeader, CompactJws, GeneralJws, JwsType
//   block/BlockHeader, QuorumCertificate
//   merkle/MerkleTree.verifyInclusion (RFC 9162 section 2.1.3.2)
//   envelope/Envelope.parse, EnvelopeType, Stream; genesis/Role
//   receipt/Receipt.parse, verify, finality
//
// Ed25519 signatures are checked with crypto.subtle (importKey 'raw' + verify, name 'Ed25519')
// over the exact received signing input bytes BASE64URL(protected) '.' BASE64URL(payload); SHA-256
// with crypto.subtle.digest. Public keys are validated here as Bouncy Castle's
// Ed25519.validatePublicKeyFullExport does (a point of the prime-order subgroup), and S < L and a
// canonical R are checked before WebCrypto is asked, so that no browser's leniency changes a verdict.
//
// The module does no DOM work and never evaluates text.

const te = new TextEncoder();

// ------------------------------------------------------------------ limits (Limits.java)

const JWS_BYTES_MAX = 256 * 1024;
const PROTECTED_HEADER_BYTES_MAX = 1024;
const JWS_SIGNATURES_MAX = 64;
const BLOCK_HEADER_BYTES_MAX = 1024;
const MERKLE_PROOF_HASHES_MAX = 64;
const JSON_DEPTH_MAX = 16;
const GENESIS_BYTES_MAX = 1024 * 1024;
const GENESIS_MEMBERS_MAX = 64;
const ID_CHARS_MAX = 64;
const RECEIPT_BYTES_MAX = 2 * JWS_BYTES_MAX; // Receipt.BYTES_MAX
const SIGNATURE_BYTES = 64;
const KEY_BYTES = 32;

// Member.ID_PATTERN, matched in full (Java's matches()).
const ID_PATTERN = new RegExp('^[a-z0-9][a-z0-9._-]{0,' + (ID_CHARS_MAX - 1) + '}$');

// JwsType header values.
const TYP = {
  INSTRUCTION: 'tally-instruction+jws',
  ENVELOPE: 'tally-envelope+jws',
  BLOCK_HEADER: 'tally-header+jws',
  GOVERNANCE: 'tally-governance+jws',
};

// ------------------------------------------------------------------ failures

/** VerificationException: a stable Reason code and a detail. */
class Refusal extends Error {
  constructor(reason, detail) {
    super(reason + ': ' + detail);
    this.reason = reason;
    this.detail = detail;
  }
}

/** JsonException. */
class JsonError extends Error {}

/** IllegalArgumentException (and ClassCastException where Java catches both alike). */
class ArgError extends Error {}

/** GenesisException. */
class GenesisError extends Error {}

// ------------------------------------------------------------------ bytes, hex, base64url

const HEX = '0123456789abcdef';

function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += HEX[b >> 4] + HEX[b & 15];
  return s;
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function asBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (typeof input === 'string') return te.encode(input);
  throw new TypeError('expected a string, a Uint8Array or an ArrayBuffer');
}

/** Hex.decode behind Hash.ofHex: exactly 64 lowercase hex characters, else ArgError. */
function hashOfHex(hex) {
  if (hex.length !== 64) throw new ArgError('a SHA-256 value is 64 hex characters');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = (hexDigit(hex.charCodeAt(2 * i)) << 4) | hexDigit(hex.charCodeAt(2 * i + 1));
  }
  return out;
}

function hexDigit(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  throw new ArgError('hex text must be lowercase 0-9a-f');
}

function b64Value(c) {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 45) return 62;
  if (c === 95) return 63;
  return -1;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function b64urlEncode(bytes) {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (bytes.length - i === 1) {
    const n = bytes[i] << 16;
    s += B64[n >> 18] + B64[(n >> 12) & 63];
  } else if (bytes.length - i === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63];
  }
  return s;
}

/**
 * Base64Url.decode: only the canonical unpadded encoding of some bytes (alphabet, no impossible
 * length, zero unused low bits), else ArgError. `codes` is a string (UTF-16 units, as
 * decode(CharSequence)) or a byte array (as decode(byte[], offset, length), bytes read as
 * Latin-1).
 */
function b64urlDecode(codes) {
  const isString = typeof codes === 'string';
  const length = codes.length;
  const values = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const v = b64Value(isString ? codes.charCodeAt(i) : codes[i]);
    if (v < 0) throw new ArgError('base64url text has a character outside the alphabet');
    values[i] = v;
  }
  const remainder = length % 4;
  if (remainder === 1) throw new ArgError('base64url text has an impossible length');
  if (remainder !== 0) {
    const unusedMask = remainder === 2 ? 0x0f : 0x03;
    if ((values[length - 1] & unusedMask) !== 0) throw new ArgError('base64url text is not canonical');
  }
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const n = (values[i] << 18) | (values[i + 1] << 12) | (values[i + 2] << 6) | values[i + 3];
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (remainder === 2) {
    out[o++] = (values[i] << 2) | (values[i + 1] >> 4);
  } else if (remainder === 3) {
    const n = (values[i] << 12) | (values[i + 1] << 6) | values[i + 2];
    out[o++] = n >> 10;
    out[o++] = (n >> 2) & 255;
  }
  return out;
}

// ------------------------------------------------------------------ strict JSON (JsonReader)

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** JsonObject.NULL. */
const NULL = Object.freeze({ toString: () => 'null' });

/** JsonObject: members in document order, typed accessors that throw JsonError. */
class JsonObj {
  constructor(members) {
    this.members = members; // Map
  }
  names() {
    return [...this.members.keys()];
  }
  has(name) {
    return this.members.has(name);
  }
  requireOnly(allowed) {
    for (const name of this.members.keys()) {
      if (!allowed.includes(name)) throw new JsonError('unexpected member "' + name + '"');
    }
    return this;
  }
  require(name, test, what) {
    if (!this.members.has(name)) throw new JsonError('missing member "' + name + '"');
    const value = this.members.get(name);
    if (!test(value)) throw new JsonError('"' + name + '" must be ' + what);
    return value;
  }
  string(name) {
    return this.require(name, (v) => typeof v === 'string', 'a string');
  }
  optionalString(name) {
    return this.has(name) ? this.string(name) : null;
  }
  /** A JSON integer as a BigInt (Java long). */
  integer(name) {
    return this.require(name, (v) => typeof v === 'bigint', 'an integer');
  }
  object(name) {
    return this.require(name, (v) => v instanceof JsonObj, 'an object');
  }
  array(name, itemsMax) {
    const list = this.require(name, (v) => Array.isArray(v), 'an array');
    if (list.length > itemsMax) throw new JsonError('"' + name + '" has more than ' + itemsMax + ' items');
    return list;
  }
}

// Character.digit(c, 16) of Java 17 for every UTF-16 unit: ASCII and fullwidth hex letters, and
// the decimal digits of every Unicode Nd run in the BMP (zeros listed; a run is zero..zero+9).
const ND_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6,
  0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50,
  0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
];

function javaHexDigit(c) {
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0xff21 && c <= 0xff26) return c - 0xff21 + 10;
  if (c >= 0xff41 && c <= 0xff46) return c - 0xff41 + 10;
  for (const zero of ND_ZEROS) {
    if (c >= zero && c <= zero + 9) return c - zero;
  }
  return -1;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

class JsonReader {
  constructor(text, depthMax) {
    this.text = text;
    this.depthMax = depthMax;
    this.pos = 0;
    this.depth = 0;
  }

  error(what) {
    return new JsonError(what + ' at character ' + this.pos);
  }

  readValue() {
    if (this.pos >= this.text.length) throw this.error('unexpected end of JSON text');
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.readObject();
      case '[':
        return this.readArray();
      case '"':
        return this.readString();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', NULL);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.readInteger();
        throw this.error('unexpected character');
    }
  }

  literal(literal, value) {
    if (!this.text.startsWith(literal, this.pos)) throw this.error('unexpected character');
    this.pos += literal.length;
    return value;
  }

  readObject() {
    this.enter();
    this.pos++;
    const members = new Map();
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.pos++;
      this.depth--;
      return new JsonObj(members);
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() !== '"') throw this.error('expected a member name');
      const name = this.readString();
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      const value = this.readValue();
      if (members.has(name)) throw this.error('duplicate member name "' + name + '"');
      members.set(name, value);
      this.skipWhitespace();
      const c = this.peek();
      this.pos++;
      if (c === '}') {
        this.depth--;
        return new JsonObj(members);
      }
      if (c !== ',') throw this.error("expected ',' or '}'");
    }
  }

  readArray() {
    this.enter();
    this.pos++;
    const items = [];
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.pos++;
      this.depth--;
      return items;
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.readValue());
      this.skipWhitespace();
      const c = this.peek();
      this.pos++;
      if (c === ']') {
        this.depth--;
        return items;
      }
      if (c !== ',') throw this.error("expected ',' or ']'");
    }
  }

  readString() {
    const text = this.text;
    this.pos++;
    const start = this.pos;
    let end = start;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c === 0x22) {
        this.pos = end + 1;
        return this.checkSurrogates(text.substring(start, end));
      }
      if (c === 0x5c || c < 0x20) break;
      end++;
    }
    let out = text.substring(start, end);
    this.pos = end;
    for (;;) {
      if (this.pos >= text.length) throw this.error('unterminated string');
      const c = text.charCodeAt(this.pos++);
      if (c === 0x22) return this.checkSurrogates(out);
      if (c < 0x20) throw this.error('control character in string');
      if (c !== 0x5c) {
        out += String.fromCharCode(c);
        continue;
      }
      if (this.pos >= text.length) throw this.error('unterminated escape');
      const e = text[this.pos++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          out += this.readUnicodeEscape();
          break;
        default:
          throw this.error('invalid escape');
      }
    }
  }

  readUnicodeEscape() {
    if (this.pos + 4 > this.text.length) throw this.error('truncated \\u escape');
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const digit = javaHexDigit(this.text.charCodeAt(this.pos++));
      if (digit < 0) throw this.error('invalid \\u escape');
      value = (value << 4) | digit;
    }
    return String.fromCharCode(value);
  }

  checkSurrogates(s) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : -1;
        if (!(next >= 0xdc00 && next <= 0xdfff)) throw this.error('lone surrogate in string');
        i++;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        throw this.error('lone surrogate in string');
      }
    }
    return s;
  }

  readInteger() {
    const text = this.text;
    const start = this.pos;
    if (this.peek() === '-') this.pos++;
    const digitsStart = this.pos;
    while (this.pos < text.length && text[this.pos] >= '0' && text[this.pos] <= '9') this.pos++;
    const digits = this.pos - digitsStart;
    if (digits === 0) throw this.error('expected a digit');
    if (digits > 1 && text[digitsStart] === '0') throw this.error('leading zero in number');
    if (this.pos < text.length) {
      const c = text[this.pos];
      if (c === '.' || c === 'e' || c === 'E') throw this.error('only integers are accepted');
    }
    const value = BigInt(text.substring(start, this.pos));
    if (value < LONG_MIN || value > LONG_MAX) throw this.error('integer out of the 64-bit range');
    return value;
  }

  enter() {
    if (++this.depth > this.depthMax) throw this.error('JSON nested deeper than ' + this.depthMax);
  }

  expect(c) {
    if (this.peek() !== c) throw this.error("expected '" + c + "'");
    this.pos++;
  }

  peek() {
    if (this.pos >= this.text.length) throw this.error('unexpected end of JSON text');
    return this.text[this.pos];
  }

  skipWhitespace() {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return;
      this.pos++;
    }
  }
}

/** JsonReader.parse(byte[], depthMax). */
function parseJson(utf8, depthMax) {
  let text;
  try {
    text = strictUtf8.decode(utf8);
  } catch {
    throw new JsonError('JSON text is not valid UTF-8');
  }
  const reader = new JsonReader(text, depthMax);
  reader.skipWhitespace();
  const value = reader.readValue();
  reader.skipWhitespace();
  if (reader.pos !== text.length) throw reader.error('unexpected text after the JSON value');
  return value;
}

/** JsonReader.parseObject(byte[], depthMax). */
function parseJsonObject(utf8, depthMax) {
  const value = parseJson(utf8, depthMax);
  if (value instanceof JsonObj) return value;
  throw new JsonError('expected a JSON object');
}

// JsonWriter.writeString: escapes only '"', '\' and control characters (as \\u00xx).
function jsonString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) out += '\\' + s[i];
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[i];
  }
  return out + '"';
}

// ------------------------------------------------------------------ SHA-256 (WebCrypto)

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) throw new Error('this environment has no WebCrypto (crypto.subtle); open the page over https or localhost');
  return s;
}

async function sha256(bytes) {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

/** SHA-256 of `bytes` as 64 lowercase hex characters. */
export async function sha256Hex(bytes) {
  return toHex(await sha256(asBytes(bytes)));
}

// ------------------------------------------------------------------ Ed25519 (WebCrypto + checks)

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a) => {
  const r = a % P;
  return r < 0n ? r + P : r;
};
function powMod(base, exp) {
  let result = 1n;
  base = mod(base);
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % P;
    base = (base * base) % P;
    exp >>= 1n;
  }
  return result;
}
const inv = (a) => powMod(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = powMod(2n, (P - 1n) / 4n);
const ORDER8_Y1 = 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n;
const ORDER8_Y2 = 0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n;

function leInteger(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** Decodes an encoded point (RFC 8032 5.1.3) to extended coordinates, or null. */
function decodePoint(bytes) {
  const signBit = bytes[31] >> 7;
  const y = leInteger(bytes) & ((1n << 255n) - 1n);
  if (y >= P) return null;
  const y2 = (y * y) % P;
  const u = mod(y2 - 1n);
  const v = mod(D * y2 + 1n);
  const v3 = (v * v * v) % P;
  let x = (u * v3 * powMod(u * ((v3 * v3 * v) % P), (P - 5n) / 8n)) % P;
  const vx2 = (v * x * x) % P;
  if (vx2 === u) {
    // x is a root
  } else if (vx2 === mod(-u)) {
    x = (x * SQRT_M1) % P;
  } else {
    return null;
  }
  if (signBit === 1 && x === 0n) return null;
  if (Number(x & 1n) !== signBit) x = mod(-x);
  return { X: x, Y: y, Z: 1n, T: (x * y) % P };
}

function pointAdd(p, q) {
  const a = mod((p.Y - p.X) * (q.Y - q.X));
  const b = mod((p.Y + p.X) * (q.Y + q.X));
  const c = mod(2n * D * p.T * q.T);
  const d = mod(2n * p.Z * q.Z);
  const e = mod(b - a);
  const f = mod(d - c);
  const g = mod(d + c);
  const h = mod(b + a);
  return { X: (e * f) % P, Y: (g * h) % P, Z: (f * g) % P, T: (e * h) % P };
}

function isNeutral(p) {
  return p.X % P === 0n && mod(p.Y - p.Z) === 0n;
}

function multiply(p, n) {
  let r = { X: 0n, Y: 1n, Z: 1n, T: 0n };
  let q = p;
  while (n > 0n) {
    if (n & 1n) r = pointAdd(r, q);
    q = pointAdd(q, q);
    n >>= 1n;
  }
  return r;
}

/**
 * VerificationKey.of: 32 bytes that Bouncy Castle's Ed25519.validatePublicKeyFullExport accepts:
 * y canonical and not 0, 1, p-1 or an order-8 y (checkPointFullVar), the point decodes, and it has
 * order L (checkPointOrderVar). Returns null when refused (KEY_INVALID).
 */
function validPublicKey(bytes) {
  if (bytes.length !== KEY_BYTES) return false;
  const y = leInteger(bytes) & ((1n << 255n) - 1n);
  if (y <= 1n || y >= P - 1n || y === ORDER8_Y1 || y === ORDER8_Y2) return false;
  const point = decodePoint(bytes);
  return point !== null && isNeutral(multiply(point, L));
}

/** RFC 7638 thumbprint of an Ed25519 key: the kid everywhere (VerificationKey.thumbprint). */
async function thumbprint(keyBytes) {
  const canonical = '{"crv":"Ed25519","kty":"OKP","x":"' + b64urlEncode(keyBytes) + '"}';
  return b64urlEncode(await sha256(te.encode(canonical)));
}

/**
 * VerificationKey.verify: RFC 8032 verification, strict like Bouncy Castle: a non-canonical R
 * (y >= p, or x = 0 with the sign bit) or S >= L is refused before WebCrypto is asked.
 */
async function ed25519Verify(member, data, signature) {
  if (signature.length !== SIGNATURE_BYTES) return false;
  const r = signature.subarray(0, 32);
  if ((leInteger(r) & ((1n << 255n) - 1n)) >= P) return false;
  if (leInteger(signature.subarray(32, 64)) >= L) return false;
  if (decodePoint(r) === null) return false;
  if (!member.cryptoKey) {
    member.cryptoKey = subtle().importKey('raw', member.key, { name: 'Ed25519' }, false, ['verify']);
  }
  const key = await member.cryptoKey;
  return subtle().verify({ name: 'Ed25519' }, key, signature, data);
}

async function verifyOrRefuse(member, data, signature) {
  if (!(await ed25519Verify(member, data, signature))) {
    throw new Refusal('SIGNATURE_INVALID', 'signature does not verify for key ' + member.keyId);
  }
}

// ------------------------------------------------------------------ genesis (Genesis.parse)

/** Committee: members with distinct ids and keys, a threshold, lookup by key id. */
function committee(members, threshold) {
  const byKeyId = new Map(members.map((m) => [m.keyId, m]));
  const byId = new Map(members.map((m) => [m.id, m]));
  return { members, threshold, byKeyId, byId };
}

/** Genesis.quorumMin. */
function quorumMin(n) {
  const f = Math.floor((n - 1) / 3);
  return Math.max(2 * f + 1, Math.floor((n + f) / 2) + 1);
}

/** Jwk.read: a public Ed25519 JWK; any refusal makes the genesis unloadable. */
async function readJwk(json) {
  if (json.has('d')) throw new GenesisError('a public JWK must not carry the private member "d"');
  json.requireOnly(['kty', 'crv', 'x', 'kid', 'alg', 'use']);
  if (json.string('kty') !== 'OKP' || json.string('crv') !== 'Ed25519') {
    throw new GenesisError('only kty OKP with crv Ed25519 is accepted');
  }
  let x;
  try {
    x = b64urlDecode(json.string('x'));
  } catch (e) {
    if (e instanceof ArgError) throw new GenesisError('JWK "x": ' + e.message);
    throw e;
  }
  if (x.length !== KEY_BYTES) throw new GenesisError('an Ed25519 public key has 32 bytes, got ' + x.length);
  if (!validPublicKey(x)) throw new GenesisError('not a valid Ed25519 public key of full order');
  const keyId = await thumbprint(x);
  if (json.has('kid') && json.string('kid') !== keyId) {
    throw new GenesisError('JWK "kid" must be the RFC 7638 thumbprint ' + keyId);
  }
  if (json.has('alg') && json.string('alg') !== 'EdDSA') throw new GenesisError('JWK "alg" must be EdDSA');
  if (json.has('use') && json.string('use') !== 'sig') throw new GenesisError('JWK "use" must be sig');
  return { key: x, keyId };
}

async function membersArray(items, name, withRole) {
  if (items.length > GENESIS_MEMBERS_MAX) {
    throw new GenesisError(name + ' lists more than ' + GENESIS_MEMBERS_MAX + ' members');
  }
  const members = [];
  for (const item of items) {
    if (!(item instanceof JsonObj)) throw new GenesisError(name + ' members must be objects');
    item.requireOnly(withRole ? ['id', 'role', 'key'] : ['id', 'key']);
    const id = item.string('id');
    if (!ID_PATTERN.test(id)) throw new GenesisError(name + ' member id "' + id + '" must match ' + ID_PATTERN.source);
    let key;
    try {
      key = await readJwk(item.object('key'));
    } catch (e) {
      if (e instanceof GenesisError || e instanceof JsonError) {
        throw new GenesisError(name + ' member ' + id + ': ' + e.message);
      }
      throw e;
    }
    members.push({ id, key: key.key, keyId: key.keyId });
  }
  return members;
}

const ROLES = ['gateway', 'identity', 'validator', 'ledger'];

/** The bounds of the genesis' optional rules, as the protocol's GenesisRules checks them. */
const GENESIS_RULE_BOUNDS = {
  legsMax: [1n, 64n],
  blockEntriesMax: [1n, 100000n],
  instructionWindowMs: [1000n, 86400000n],
  governanceWindowMs: [1000n, 7776000000n],
  reservationTtlMaxMs: [1000n, 7776000000n],
  keysMax: [1n, 32n],
};

function checkGenesisRules(rules) {
  rules.requireOnly(Object.keys(GENESIS_RULE_BOUNDS));
  for (const [name, [lowest, highest]] of Object.entries(GENESIS_RULE_BOUNDS)) {
    if (!rules.has(name)) continue;
    const value = rules.integer(name);
    if (value < lowest || value > highest) {
      throw new GenesisError('rules.' + name + ' must be between ' + lowest + ' and ' + highest + ', got ' + value);
    }
  }
}

/**
 * Reads a genesis file exactly as Genesis.parse does (same rules; a file Java refuses is refused).
 * Async because the network id (the genesis hash) and the key ids are SHA-256 values.
 *
 * @returns {Promise<{hash: Uint8Array, hashHex: string, network: string, validators: object,
 *   governance: object, instances: object, roles: Map<string,string>}>} committees are
 *   {members: [{id, keyId, key}], threshold, byKeyId, byId}
 * @throws Error with reason 'MALFORMED' (and the Java rule in its message) when not loadable
 */
export async function parseGenesis(bytes) {
  bytes = asBytes(bytes);
  try {
    if (bytes.length > GENESIS_BYTES_MAX) throw new GenesisError('genesis exceeds ' + GENESIS_BYTES_MAX + ' bytes');
    let root;
    try {
      root = parseJsonObject(bytes, JSON_DEPTH_MAX);
      root.requireOnly(['version', 'network', 'validators', 'governance', 'instances', 'rules']);
      if (root.has('rules')) checkGenesisRules(root.object('rules'));
      if (root.integer('version') !== 1n) throw new GenesisError('genesis version must be 1');
      const network = root.string('network');
      if (!ID_PATTERN.test(network)) throw new GenesisError('network id must match ' + ID_PATTERN.source);

      const validatorsJson = root.object('validators');
      validatorsJson.requireOnly(['quorum', 'members']);
      const validators = await membersArray(validatorsJson.array('members', Infinity), 'validators', false);
      if (validators.length === 0) throw new GenesisError('genesis needs at least one validator');
      const quorum = validatorsJson.integer('quorum');
      const n = validators.length;
      if (quorum < BigInt(quorumMin(n)) || quorum > BigInt(n)) {
        throw new GenesisError('validator quorum must be between ' + quorumMin(n) + ' and ' + n + ' for ' + n + ' validators, got ' + quorum);
      }

      const governanceJson = root.object('governance');
      governanceJson.requireOnly(['threshold', 'members']);
      const governance = await membersArray(governanceJson.array('members', Infinity), 'governance', false);
      const threshold = governanceJson.integer('threshold');
      if (threshold < 2n || threshold > BigInt(governance.length)) {
        throw new GenesisError('governance threshold must be between 2 and the ' + governance.length + ' governance keys, got ' + threshold);
      }

      const instanceItems = root.array('instances', Infinity);
      const instances = await membersArray(instanceItems, 'instances', true);
      const roles = new Map();
      for (let i = 0; i < instances.length; i++) {
        const role = instanceItems[i].string('role');
        if (!ROLES.includes(role)) {
          throw new GenesisError('instance ' + instances[i].id + ' has the unknown role "' + role + '" (known: gateway, identity, validator, ledger)');
        }
        instances[i].role = role;
        roles.set(instances[i].id, role);
      }

      // requireDistinct: ids and keys distinct across the whole file.
      const ids = new Set();
      const keys = new Set();
      for (const member of [...validators, ...governance, ...instances]) {
        if (ids.has(member.id)) throw new GenesisError('id ' + member.id + ' appears twice in the genesis');
        ids.add(member.id);
        const hex = toHex(member.key);
        if (keys.has(hex)) throw new GenesisError('key ' + member.keyId + ' appears twice in the genesis');
        keys.add(hex);
      }
      const hash = await sha256(bytes);
      return {
        hash,
        hashHex: toHex(hash),
        network,
        validators: committee(validators, Number(quorum)),
        governance: committee(governance, Number(threshold)),
        instances: committee(instances, 1),
        roles,
      };
    } catch (e) {
      if (e instanceof JsonError) throw new GenesisError('genesis: ' + e.message);
      throw e;
    }
  } catch (e) {
    if (e instanceof GenesisError) {
      const error = new Error('genesis file refused: ' + e.message);
      error.reason = 'MALFORMED';
      throw error;
    }
    throw e;
  }
}

// ------------------------------------------------------------------ JWS (ProtectedHeader, CompactJws, GeneralJws)

/** ProtectedHeader.read: {alg: EdDSA, kid?, typ?} and nothing else. Returns {kid, typ} (null if absent). */
function readProtectedHeader(json) {
  if (json.length > PROTECTED_HEADER_BYTES_MAX) {
    throw new Refusal('TOO_LARGE', 'protected header exceeds ' + PROTECTED_HEADER_BYTES_MAX + ' bytes');
  }
  try {
    const header = parseJsonObject(json, 2);
    if (header.has('crit')) throw new Refusal('CRITICAL_HEADER_UNSUPPORTED', 'the protocol defines no critical header');
    if (!header.has('alg')) throw new Refusal('MALFORMED', 'protected header lacks "alg"');
    if (header.string('alg') !== 'EdDSA') throw new Refusal('ALGORITHM_UNSUPPORTED', 'only alg EdDSA is accepted');
    for (const name of header.names()) {
      if (name !== 'alg' && name !== 'kid' && name !== 'typ') {
        throw new Refusal('HEADER_PARAMETER_UNSUPPORTED', 'header parameter "' + name + '"');
      }
    }
    return { kid: header.optionalString('kid'), typ: header.optionalString('typ') };
  } catch (e) {
    if (e instanceof JsonError) throw new Refusal('MALFORMED', 'protected header: ' + e.message);
    throw e;
  }
}

/** ProtectedHeader.requireKeyIdAndType: the typ expected, then a kid; returns the kid. */
function requireKeyIdAndType(header, expected) {
  if (header.typ !== expected) {
    throw new Refusal('TYPE_MISMATCH', 'expected typ ' + expected + ', got ' + (header.typ === null ? 'none' : header.typ));
  }
  if (header.kid === null) throw new Refusal('KEY_ID_MISSING', 'protected header lacks "kid"');
  return header.kid;
}

function decodePart(text, part) {
  try {
    return b64urlDecode(text);
  } catch (e) {
    if (e instanceof ArgError) throw new Refusal('MALFORMED', part + ': ' + e.message);
    throw e;
  }
}

/** GeneralJws.parse: {"payload":"…","signatures":[{"protected":"…","signature":"…"},…]}. */
function parseGeneralJws(json) {
  if (json.length > JWS_BYTES_MAX) throw new Refusal('TOO_LARGE', 'JWS exceeds ' + JWS_BYTES_MAX + ' bytes');
  try {
    const object = parseJsonObject(json, 4);
    if (object.has('header')) throw new Refusal('UNPROTECTED_HEADER', 'unprotected header parameters are not accepted');
    if (object.has('protected') || object.has('signature')) {
      throw new Refusal('MALFORMED', 'flattened serialization is not accepted; use "signatures"');
    }
    object.requireOnly(['payload', 'signatures']);
    const encodedPayload = object.string('payload');
    const payload = decodePart(encodedPayload, 'payload');
    const items = object.array('signatures', Infinity);
    if (items.length === 0) throw new Refusal('MALFORMED', 'a JWS needs at least one signature');
    if (items.length > JWS_SIGNATURES_MAX) {
      throw new Refusal('SIGNATURES_TOO_MANY', 'more than ' + JWS_SIGNATURES_MAX + ' signatures');
    }
    const signatures = [];
    for (const entry of items) {
      if (!(entry instanceof JsonObj)) throw new Refusal('MALFORMED', 'signatures must be objects');
      if (entry.has('header')) throw new Refusal('UNPROTECTED_HEADER', 'unprotected header parameters are not accepted');
      entry.requireOnly(['protected', 'signature']);
      const encodedHeader = entry.string('protected');
      const header = readProtectedHeader(decodePart(encodedHeader, 'protected header'));
      const signature = decodePart(entry.string('signature'), 'signature');
      if (signature.length !== SIGNATURE_BYTES) throw new Refusal('MALFORMED', 'an EdDSA signature has 64 bytes');
      signatures.push({ encodedHeader, header, signature });
    }
    return { encodedPayload, payload, signatures };
  } catch (e) {
    if (e instanceof JsonError) throw new Refusal('MALFORMED', 'JWS JSON: ' + e.message);
    throw e;
  }
}

/**
 * GeneralJws.verify: every signature by a distinct key of `trusted` for kind `expected`; the cheap
 * checks on all signatures come before any signature arithmetic. Returns the members, in order.
 */
async function verifyGeneralJws(jws, expected, trusted) {
  const members = [];
  const keyIds = new Set();
  for (const signature of jws.signatures) {
    const keyId = requireKeyIdAndType(signature.header, expected);
    const member = trusted.byKeyId.get(keyId);
    if (!member) throw new Refusal('SIGNER_UNKNOWN', 'unknown key ' + keyId);
    if (keyIds.has(keyId) || members.includes(member)) throw new Refusal('SIGNER_DUPLICATE', 'key ' + keyId + ' signs twice');
    keyIds.add(keyId);
    members.push(member);
  }
  for (let i = 0; i < jws.signatures.length; i++) {
    const input = te.encode(jws.signatures[i].encodedHeader + '.' + jws.encodedPayload);
    await verifyOrRefuse(members[i], input, jws.signatures[i].signature);
  }
  return members;
}

const SIGNATURE_CHARS = 86;
const HEADER_CHARS_MAX = Math.floor((PROTECTED_HEADER_BYTES_MAX * 4 + 2) / 3);

/** CompactJws.parse(byte[]): header.payload.signature, ASCII bytes. */
function parseCompactJws(ascii) {
  if (ascii.length > JWS_BYTES_MAX) throw new Refusal('TOO_LARGE', 'JWS exceeds ' + JWS_BYTES_MAX + ' bytes');
  const firstDot = ascii.indexOf(0x2e);
  const secondDot = firstDot < 0 ? -1 : ascii.indexOf(0x2e, firstDot + 1);
  if (secondDot < 0 || ascii.indexOf(0x2e, secondDot + 1) >= 0) {
    throw new Refusal('MALFORMED', 'compact JWS must have exactly three dot-separated parts');
  }
  if (firstDot > HEADER_CHARS_MAX) {
    throw new Refusal('TOO_LARGE', 'protected header exceeds ' + PROTECTED_HEADER_BYTES_MAX + ' bytes');
  }
  if (ascii.length - secondDot - 1 !== SIGNATURE_CHARS) throw new Refusal('MALFORMED', 'an EdDSA signature has 64 bytes');
  const header = readProtectedHeader(decodePart(ascii.subarray(0, firstDot), 'protected header'));
  const payload = decodePart(ascii.subarray(firstDot + 1, secondDot), 'payload');
  const signature = decodePart(ascii.subarray(secondDot + 1), 'signature');
  return { header, payload, signature, signingInput: ascii.subarray(0, secondDot) };
}

/** CompactJws.namedKey: the trusted member whose key the kid names, for kind `expected`. */
function namedKey(jws, expected, trusted) {
  const keyId = requireKeyIdAndType(jws.header, expected);
  const member = trusted.byKeyId.get(keyId);
  if (!member) throw new Refusal('SIGNER_UNKNOWN', 'unknown key ' + keyId);
  return member;
}

// ------------------------------------------------------------------ block header (BlockHeader.fromBytes)

const HEADER_MEMBERS = ['network', 'shard', 'height', 'prev', 'entryCount', 'entries', 'results', 'state', 'logTime', 'firstOffset', 'lastOffset'];

function headerHash(json, name) {
  try {
    return hashOfHex(json.string(name));
  } catch (e) {
    if (e instanceof ArgError) throw new JsonError('"' + name + '": ' + e.message);
    throw e;
  }
}

/** BlockHeader.fromBytes: canonical bytes only (members in order, no whitespace, lowercase hex). */
function parseBlockHeader(bytes) {
  if (bytes.length > BLOCK_HEADER_BYTES_MAX) {
    throw new Refusal('TOO_LARGE', 'block header exceeds ' + BLOCK_HEADER_BYTES_MAX + ' bytes');
  }
  let h;
  try {
    const json = parseJsonObject(bytes, 1).requireOnly(HEADER_MEMBERS);
    const shard = json.integer('shard');
    if (shard > 2147483647n) throw new Refusal('MALFORMED', 'shard out of range');
    h = {
      network: headerHash(json, 'network'),
      shard,
      height: json.integer('height'),
      prev: headerHash(json, 'prev'),
      entryCount: json.integer('entryCount'),
      entries: headerHash(json, 'entries'),
      results: headerHash(json, 'results'),
      state: headerHash(json, 'state'),
      logTime: json.integer('logTime'),
      firstOffset: json.integer('firstOffset'),
      lastOffset: json.integer('lastOffset'),
    };
    if (h.shard < 0n || h.height < 0n || h.entryCount < 0n || h.logTime < 0n || h.firstOffset < 0n) {
      throw new ArgError('block header numbers must not be negative');
    }
    if (h.firstOffset > h.lastOffset) throw new ArgError('firstOffset must not exceed lastOffset');
  } catch (e) {
    if (e instanceof JsonError || e instanceof ArgError) throw new Refusal('MALFORMED', 'block header: ' + e.message);
    throw e;
  }
  const canonical =
    '{"network":"' + toHex(h.network) + '","shard":' + h.shard + ',"height":' + h.height +
    ',"prev":"' + toHex(h.prev) + '","entryCount":' + h.entryCount + ',"entries":"' + toHex(h.entries) +
    '","results":"' + toHex(h.results) + '","state":"' + toHex(h.state) + '","logTime":' + h.logTime +
    ',"firstOffset":' + h.firstOffset + ',"lastOffset":' + h.lastOffset + '}';
  if (!bytesEqual(te.encode(canonical), bytes)) throw new Refusal('MALFORMED', 'block header bytes are not canonical');
  return h;
}

// ------------------------------------------------------------------ Merkle (MerkleTree, RFC 9162)

async function leafHash(data) {
  return sha256(concat(Uint8Array.of(0), data));
}

async function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

/** MerkleTree.verifyInclusion (RFC 9162 2.1.3.2), with Java long arithmetic as BigInt. */
async function verifyInclusion(index, size, leaf, proof, root) {
  if (proof.length > MERKLE_PROOF_HASHES_MAX) {
    throw new Refusal('TOO_LARGE', 'proof exceeds ' + MERKLE_PROOF_HASHES_MAX + ' hashes');
  }
  if (index < 0n || index >= size) throw new Refusal('PROOF_INVALID', 'leaf index ' + index + ' outside a tree of ' + size);
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) throw new Refusal('PROOF_INVALID', 'inclusion proof is longer than the tree is deep');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n || !bytesEqual(r, root)) throw new Refusal('PROOF_INVALID', 'inclusion proof does not lead to the tree head');
}

// ------------------------------------------------------------------ envelope (Envelope.parse)

const ENVELOPE_MEMBERS = ['type', 'stream', 'shard', 'producer', 'epoch', 'seq', 'prev', 'body'];
const ENVELOPE_TYPES = ['instruction', 'governance', 'cut', 'vote', 'finalized'];
const STREAM_KINDS = ['log', 'votes', 'finalized'];
// Stream.Kind.of(type): the kind of stream each envelope type travels on.
const STREAM_OF_TYPE = { instruction: 'log', governance: 'log', cut: 'log', vote: 'votes', finalized: 'finalized' };
// Role.permits(type).
const ROLE_OF_TYPE = { instruction: 'gateway', governance: 'identity', cut: 'validator', vote: 'validator', finalized: 'ledger' };

/**
 * Envelope.parse(record, genesis, Stream.log(shard)): compact JWS of kind tally-envelope+jws whose
 * kid names an instance key of the producer the payload names, on this stream, of a type the
 * stream carries and the producer's role permits. The seal itself is checked only when the record
 * is refused (then a forged record is SIGNATURE_INVALID first), as in Java (ADR 0011).
 */
async function parseEnvelope(record, genesis, shard) {
  const instances = genesis.instances;
  const jws = parseCompactJws(record);
  const member = namedKey(jws, TYP.ENVELOPE, instances);
  const seal = () => verifyOrRefuse(member, jws.signingInput, jws.signature);
  const refused = async (reason, message) => {
    await seal();
    return new Refusal(reason, message);
  };
  const stream = 'log/' + shard;
  try {
    const json = parseJsonObject(jws.payload, JSON_DEPTH_MAX).requireOnly(ENVELOPE_MEMBERS);
    const type = json.string('type');
    if (!ENVELOPE_TYPES.includes(type)) throw new JsonError('unknown envelope type');
    const kind = json.string('stream');
    if (!STREAM_KINDS.includes(kind)) throw new JsonError('unknown stream');
    const envelopeShard = json.integer('shard');
    if (envelopeShard < 0n || envelopeShard > 2147483647n) throw new JsonError('shard out of range');
    const producer = json.string('producer');
    if (member.id !== producer) throw await refused('SIGNER_UNKNOWN', 'key of ' + member.id + ' signs as ' + producer);
    const named = kind + '/' + envelopeShard;
    if (named !== stream) throw await refused('STREAM_MISMATCH', 'an envelope of ' + named + ' read from ' + stream);
    if (STREAM_OF_TYPE[type] !== 'log') throw await refused('TYPE_UNEXPECTED', type + ' on ' + stream);
    const role = genesis.roles.get(producer);
    if (ROLE_OF_TYPE[type] !== role) {
      throw await refused('ROLE_FORBIDS_TYPE', producer + ' (' + role + ') may not produce ' + type);
    }
    const epoch = json.integer('epoch');
    const seq = json.integer('seq');
    if (epoch < 0n || seq < 0n) throw new JsonError('epoch and seq must not be negative');
    hashOfHex(json.string('prev'));
    const body = b64urlDecode(json.string('body'));
    return { type, producer, role, epoch, seq, body };
  } catch (e) {
    if (e instanceof JsonError || e instanceof ArgError) {
      await seal();
      throw new Refusal('MALFORMED', 'envelope: ' + e.message);
    }
    throw e;
  }
}

// ------------------------------------------------------------------ receipt (Receipt.parse)

const RECEIPT_MEMBERS = ['instructionId', 'record', 'outcome', 'header', 'certificate', 'index', 'treeSize', 'entriesProof', 'resultsProof', 'finality'];

function hashes(items) {
  return items.map((item) => {
    if (typeof item !== 'string') throw new ArgError('a proof hash must be a string');
    return hashOfHex(item);
  });
}

/** Receipt.parse: the documented JSON form, else MALFORMED (TOO_LARGE beyond 512 KiB). */
function parseReceipt(json) {
  if (json.length > RECEIPT_BYTES_MAX) {
    throw new Refusal('TOO_LARGE', 'receipt has ' + json.length + ' bytes, at most ' + RECEIPT_BYTES_MAX);
  }
  try {
    const receipt = parseJsonObject(json, JSON_DEPTH_MAX).requireOnly(RECEIPT_MEMBERS);
    const instructionId = receipt.string('instructionId');
    const record = b64urlDecode(receipt.string('record'));
    const outcome = te.encode(receipt.string('outcome'));
    const header = b64urlDecode(receipt.string('header'));
    const certificate = te.encode(receipt.string('certificate'));
    const index = receipt.integer('index');
    const treeSize = receipt.integer('treeSize');
    const entriesProof = hashes(receipt.array('entriesProof', MERKLE_PROOF_HASHES_MAX));
    const resultsProof = hashes(receipt.array('resultsProof', MERKLE_PROOF_HASHES_MAX));
    const finality = receipt.optionalString('finality') ?? '';
    return { instructionId, record, outcome, header, certificate, index, treeSize, entriesProof, resultsProof, finality };
  } catch (e) {
    if (e instanceof JsonError || e instanceof ArgError) throw new Refusal('MALFORMED', 'receipt: ' + e.message);
    throw e;
  }
}

/** Receipt.finality: the one sentence the verified facts give. */
function finalitySentence(genesis, block, blockHashHex, index, signers) {
  return (
    'Irrevocable: entry ' + index + ' of block ' + block.height + ' of network ' + genesis.network +
    ' (' + genesis.hashHex + '), certified by ' + signers.length + ' of ' + genesis.validators.members.length +
    ' validators (' + signers.join(', ') + '; ' + genesis.validators.threshold + ' required) over header ' +
    blockHashHex + '.'
  );
}

const jsonNumber = (n) => (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());

// ------------------------------------------------------------------ the verifier

const STEPS = [
  ['parse', 'Receipt and genesis read'],
  ['network', 'Block belongs to this genesis'],
  ['certificate', 'Quorum certificate: q distinct genesis validators signed this header'],
  ['entries', "Record is in the block's entries root"],
  ['results', "Outcome is in the block's results root"],
  ['treeSize', "Tree size equals the block's entry count"],
  ['record', 'Record is an instruction or governance envelope from a genesis instance'],
  ['ids', 'Record and outcome carry this id'],
  ['finality', 'Finality sentence states exactly the verified facts'],
];

/**
 * Verifies a receipt against a genesis file, as Receipt.parse(bytes).verify(genesis).
 *
 * @param receiptText the receipt JSON: a string, or (better, so that a byte order mark or invalid
 *   UTF-8 is judged as Java judges the file) its bytes as a Uint8Array or ArrayBuffer
 * @param genesisBytes the genesis file's exact bytes (its SHA-256 is the network id)
 * @returns {Promise<{valid: boolean, reason: string|null, detail: string|null, steps: Array<{id,
 *   label, ok: boolean|null, reason: string|null, detail: string}>, verified: object|null}>}
 *   valid false with reason null means no verdict could be reached (for instance a browser
 *   without Ed25519 in WebCrypto); detail says why.
 */
export async function verifyReceipt(receiptText, genesisBytes) {
  const steps = STEPS.map(([id, label]) => ({ id, label, ok: null, reason: null, detail: 'not reached' }));
  let current = 0;
  const pass = (detail) => {
    steps[current].ok = true;
    steps[current].detail = detail;
    current++;
  };

  try {
    // 1. parse -- the genesis (Genesis.load in the CLI: a file it refuses is MALFORMED here), then
    //    Receipt.parse: size (TOO_LARGE), strict JSON, exactly the documented members, base64url of
    //    record and header, hex proof hashes (at most 64 each), integers index and treeSize.
    let genesis;
    try {
      genesis = await parseGenesis(genesisBytes);
    } catch (e) {
      if (e.reason === 'MALFORMED') throw new Refusal('MALFORMED', e.message);
      throw e;
    }
    const receipt = parseReceipt(asBytes(receiptText));
    pass(
      'receipt for ' + receipt.instructionId + ': entry ' + receipt.index + ' of ' + receipt.treeSize +
        ', record ' + receipt.record.length + ' bytes, proofs of ' + receipt.entriesProof.length + ' and ' +
        receipt.resultsProof.length + ' hashes' + (receipt.finality ? ', with a finality sentence' : '') +
        '; genesis of network ' + genesis.network + ' (' + genesis.hashHex + '), ' +
        genesis.validators.members.length + ' validators, quorum ' + genesis.validators.threshold
    );

    // 2. network -- BlockHeader.fromBytes (canonical bytes only; TOO_LARGE/MALFORMED), then
    //    header.network == genesis hash (HEADER_MISMATCH).
    const block = parseBlockHeader(receipt.header);
    const blockHashHex = toHex(await sha256(receipt.header));
    if (!bytesEqual(block.network, genesis.hash)) {
      throw new Refusal('HEADER_MISMATCH', 'the block belongs to another network than this genesis');
    }
    pass(
      'block ' + block.height + ' of shard ' + block.shard + ', header ' + blockHashHex + ', names network ' +
        genesis.hashHex + ' = ' + genesis.network
    );

    // 3. certificate -- QuorumCertificate.parse (GeneralJws.parse: shape, protected headers) and
    //    verify: payload is exactly the header bytes (HEADER_MISMATCH); at least q signatures
    //    (QUORUM_NOT_MET); each typ tally-header+jws (TYPE_MISMATCH), a kid (KEY_ID_MISSING) of a
    //    genesis validator (SIGNER_UNKNOWN), no validator twice (SIGNER_DUPLICATE); then every
    //    Ed25519 signature over protected '.' payload (SIGNATURE_INVALID).
    const certificate = parseGeneralJws(receipt.certificate);
    if (!bytesEqual(certificate.payload, receipt.header)) {
      throw new Refusal('HEADER_MISMATCH', 'certificate signs another block header');
    }
    const q = genesis.validators.threshold;
    if (certificate.signatures.length < q) {
      throw new Refusal('QUORUM_NOT_MET', certificate.signatures.length + ' distinct validators signed, ' + q + ' needed');
    }
    const signerMembers = await verifyGeneralJws(certificate, TYP.BLOCK_HEADER, genesis.validators);
    const signers = signerMembers.map((m) => m.id);
    if (signers.length < q) throw new Refusal('QUORUM_NOT_MET', signers.length + ' distinct validators signed, ' + q + ' needed');
    pass(signers.join(', ') + ' signed: ' + signers.length + ' of ' + genesis.validators.members.length + ', ' + q + ' required');

    // 4. entries -- MerkleTree.verifyInclusion of SHA-256(0x00 || record) at index in a tree of
    //    treeSize leaves up to the header's entries root (PROOF_INVALID).
    const recordLeaf = await leafHash(receipt.record);
    await verifyInclusion(receipt.index, receipt.treeSize, recordLeaf, receipt.entriesProof, block.entries);
    pass('record leaf ' + toHex(recordLeaf) + ' at index ' + receipt.index + ' leads to entries root ' + toHex(block.entries));

    // 5. results -- the same for the outcome bytes and the results root.
    const outcomeLeaf = await leafHash(receipt.outcome);
    await verifyInclusion(receipt.index, receipt.treeSize, outcomeLeaf, receipt.resultsProof, block.results);
    pass('outcome leaf ' + toHex(outcomeLeaf) + ' at index ' + receipt.index + ' leads to results root ' + toHex(block.results));

    // 6. treeSize -- treeSize == header.entryCount (PROOF_INVALID), so a proof for another size
    //    cannot be replayed.
    if (receipt.treeSize !== block.entryCount) {
      throw new Refusal('PROOF_INVALID', "tree size differs from the block's entry count");
    }
    pass('tree size ' + receipt.treeSize + ' = entryCount ' + block.entryCount);

    // 7. record -- Envelope.parse on the log of the block's shard, then: an instruction or
    //    governance envelope (else MALFORMED), its body a GeneralJws whose every typ is
    //    tally-instruction+jws or tally-governance+jws to match (TYPE_MISMATCH). The participants'
    //    or administrators' signatures are not checked (their keys are not in the genesis; the
    //    certificate covers them), nor the seal of an admitted envelope (ADR 0011), as in Java.
    const envelope = await parseEnvelope(receipt.record, genesis, block.shard);
    let expected;
    if (envelope.type === 'instruction') expected = TYP.INSTRUCTION;
    else if (envelope.type === 'governance') expected = TYP.GOVERNANCE;
    else throw new Refusal('MALFORMED', 'the record is a ' + envelope.type + ', not an instruction or a governance change');
    const instruction = parseGeneralJws(envelope.body);
    for (const signature of instruction.signatures) {
      if (signature.header.typ !== expected) {
        throw new Refusal('TYPE_MISMATCH', 'a ' + envelope.type + ' record must carry a ' + expected);
      }
    }
    pass(
      envelope.type + ' envelope by ' + envelope.producer + ' (' + envelope.role + '), epoch ' + envelope.epoch +
        ' seq ' + envelope.seq + ', carrying a ' + expected + ' with ' + instruction.signatures.length +
        (instruction.signatures.length === 1 ? ' signature' : ' signatures')
    );

    // 8. ids -- the instruction payload's "id" and the outcome's "id" are the receipt's id
    //    (HEADER_MISMATCH); the outcome's "code" is what the validators certified.
    let code;
    try {
      const id = parseJsonObject(instruction.payload, JSON_DEPTH_MAX).string('id');
      const result = parseJsonObject(receipt.outcome, JSON_DEPTH_MAX);
      if (id !== receipt.instructionId || result.string('id') !== receipt.instructionId) {
        throw new Refusal('HEADER_MISMATCH', 'the record or outcome is for another instruction than this');
      }
      code = result.string('code');
    } catch (e) {
      if (e instanceof JsonError) throw new Refusal('MALFORMED', 'instruction or outcome: ' + e.message);
      throw e;
    }
    pass('record and outcome carry ' + receipt.instructionId + '; outcome ' + code);

    // 9. finality -- Receipt.finality derived from the verified facts; a receipt's sentence, when
    //    it has one, must equal it character for character (FINALITY_MISMATCH).
    const derived = finalitySentence(genesis, block, blockHashHex, receipt.index, signers);
    if (receipt.finality !== '' && receipt.finality !== derived) {
      throw new Refusal(
        'FINALITY_MISMATCH',
        'the receipt\'s finality sentence states other facts than the verified ones: "' + derived + '"'
      );
    }
    pass(receipt.finality === '' ? 'absent (the receipt states none); derived: ' + derived : 'equals the derived sentence: ' + derived);

    return {
      valid: true,
      reason: null,
      detail: null,
      steps,
      verified: {
        instructionId: receipt.instructionId,
        type: envelope.type,
        entry: envelope.type,
        code,
        index: jsonNumber(receipt.index),
        height: jsonNumber(block.height),
        header: blockHashHex,
        network: genesis.network,
        genesis: genesis.hashHex,
        quorum: genesis.validators.threshold,
        signers,
        finality: derived,
      },
    };
  } catch (e) {
    const step = steps[Math.min(current, steps.length - 1)];
    step.ok = false;
    if (e instanceof Refusal) {
      step.reason = e.reason;
      step.detail = e.detail;
      return { valid: false, reason: e.reason, detail: e.detail, steps, verified: null };
    }
    // Not a verdict: the environment could not run a check (no WebCrypto Ed25519, for example).
    const detail = 'could not verify: ' + (e && e.message ? e.message : String(e));
    step.detail = detail;
    return { valid: false, reason: null, detail, steps, verified: null };
  }
}
