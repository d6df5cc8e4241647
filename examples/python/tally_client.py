"""A small Tally client in Python 3 with jwcrypto (Debian's python3-jwcrypto) and urllib only.

It writes what docs/integration.md describes: Ed25519 keys in PKCS#8 PEM files, instructions and
governance changes as JSON payloads, JWS signatures with the protected header {alg, kid, typ},
co-signing one payload by several signers (JWS JSON general serialization), access tokens, and
the offline verification of a receipt against the genesis file alone (the checks of the Java
verifier, io.tally.protocol.receipt.Receipt.verify, in the same order and with the same reason
codes).
"""

import base64
import hashlib
import json
import os
import re
import secrets
import time
import urllib.error
import urllib.request

from jwcrypto import jwk, jws

EDDSA = "EdDSA"
TYP_INSTRUCTION = "tally-instruction+jws"
TYP_GOVERNANCE = "tally-governance+jws"
TYP_ACCESS_TOKEN = "tally-access+jwt"
TYP_ENVELOPE = "tally-envelope+jws"
TYP_HEADER = "tally-header+jws"

# The protocol's identifier syntax (engine Identifiers, protocol Member.ID_PATTERN).
INSTRUCTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
PARTICIPANT_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
ASSET_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,31}")

MERKLE_PROOF_HASHES_MAX = 64
JWS_SIGNATURES_MAX = 64
RECEIPT_BYTES_MAX = 2 * 256 * 1024


# ------------------------------------------------------------------ encodings


def b64u(data):
    """Base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text):
    """Decodes canonical unpadded base64url, as Tally's readers accept it (and nothing else)."""
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise ValueError("not unpadded base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64u(data) != text:
        raise ValueError("base64url text is not canonical")
    return data


def compact_json(value):
    """JSON without whitespace, ASCII only: how this client writes every payload."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _refuse_duplicates(pairs):
    members = {}
    for name, value in pairs:
        if name in members:
            raise ValueError("duplicate member " + repr(name))
        members[name] = value
    return members


def strict_json(data):
    """Parses JSON bytes, refusing duplicate members (as the protocol's reader does)."""
    return json.loads(data.decode("utf-8"), object_pairs_hook=_refuse_duplicates)


# ------------------------------------------------------------------ keys


def generate_key(path):
    """A new Ed25519 key, written to the new file `path` (PKCS#8 PEM, owner-only, never overwritten)."""
    key = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    pem = key.export_to_pem(private_key=True, password=None)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def read_key(path):
    """An Ed25519 private key file as the devstack and `tally keygen` write it (PKCS#8 PEM)."""
    with open(path, "rb") as pem:
        key = jwk.JWK.from_pem(pem.read())
    if key.get("kty") != "OKP" or key.get("crv") != "Ed25519":
        raise ValueError(path + " is not an Ed25519 key")
    return key


def key_id(key):
    """The key id everywhere in Tally: the RFC 7638 thumbprint (SHA-256, base64url)."""
    return key.thumbprint()


def public_jwk(key):
    """The public JWK as the protocol reads it: kty, crv, x (kid, alg, use are optional)."""
    public = json.loads(key.export_public())
    return {"kty": "OKP", "crv": "Ed25519", "x": public["x"], "kid": key_id(key)}


# ------------------------------------------------------------------ JWS


def sign_compact(payload, key, typ):
    """A compact JWS over `payload` (bytes) with the protected header {alg, kid, typ}, nothing else."""
    token = jws.JWS(payload)
    token.add_signature(key, alg=EDDSA, protected={"alg": EDDSA, "kid": key_id(key), "typ": typ})
    return token.serialize(compact=True)


def sign_general(payload, keys, typ):
    """A JWS in JSON general serialization over `payload`, one signature per key, as a dict."""
    signed = {"payload": b64u(payload), "signatures": []}
    for key in keys:
        signed = cosign(signed, key, typ)
    return signed


def cosign(general, key, typ):
    """
    `general` (a JWS JSON general serialization, as a dict) with one more signature by `key`.

    Each signer signs the received payload text with its own protected header and the signature
    objects are collected in one list. jwcrypto is used for the signature alone: its own JSON
    serialization of one signature is the flattened form (which the gateway refuses), and a JWS
    it deserialized drops the signatures it did not verify itself when it is serialized again.
    """
    payload_text = general["payload"]
    token = jws.JWS(b64u_decode(payload_text))
    token.add_signature(key, alg=EDDSA, protected={"alg": EDDSA, "kid": key_id(key), "typ": typ})
    protected, payload, signature = token.serialize(compact=True).split(".")
    if payload != payload_text:
        raise AssertionError("jwcrypto encoded the payload differently")
    if len(general["signatures"]) >= JWS_SIGNATURES_MAX:
        raise ValueError("a JWS carries at most %d signatures" % JWS_SIGNATURES_MAX)
    return {
        "payload": payload_text,
        "signatures": general["signatures"] + [{"protected": protected, "signature": signature}],
    }


def verify_signature(protected, payload, signature, key):
    """Verifies one JWS signature (compact parts) with jwcrypto; raises on failure."""
    token = jws.JWS()
    token.deserialize(protected + "." + payload + "." + signature)
    token.verify(key, alg=EDDSA)


def protected_header(text, expected_typ):
    """Reads a protected header the way Tally does: exactly alg EdDSA, kid and typ."""
    try:
        header = strict_json(b64u_decode(text))
    except ValueError as e:
        raise ReceiptInvalid("MALFORMED", "protected header: %s" % e)
    if not isinstance(header, dict):
        raise ReceiptInvalid("MALFORMED", "protected header is not an object")
    if "crit" in header:
        raise ReceiptInvalid("CRITICAL_HEADER_UNSUPPORTED", "the protocol defines no critical header")
    if header.get("alg") != EDDSA:
        raise ReceiptInvalid("ALGORITHM_UNSUPPORTED", "only alg EdDSA is accepted")
    for name in header:
        if name not in ("alg", "kid", "typ"):
            raise ReceiptInvalid("HEADER_PARAMETER_UNSUPPORTED", "header parameter " + repr(name))
    if header.get("typ") != expected_typ:
        raise ReceiptInvalid("TYPE_MISMATCH", "expected typ %s, got %s" % (expected_typ, header.get("typ")))
    if not isinstance(header.get("kid"), str):
        raise ReceiptInvalid("KEY_ID_MISSING", "protected header lacks kid")
    return header


# ------------------------------------------------------------------ payloads


def instruction(instruction_id, kind, not_after_ms, **members):
    """An instruction or governance payload: id, kind, notAfter (ms since the epoch), then members."""
    if not INSTRUCTION_ID.fullmatch(instruction_id):
        raise ValueError("an id is 1 to 64 characters of [A-Za-z0-9._:-]: " + instruction_id)
    payload = {"id": instruction_id, "kind": kind, "notAfter": int(not_after_ms)}
    payload.update(members)
    return compact_json(payload)


def leg(debit, credit, asset, amount):
    """One leg: `amount` minor units (a decimal string, 1 to 2^63-1) of `asset`, debit to credit."""
    return {"debit": debit, "credit": credit, "asset": asset, "amount": str(int(amount))}


def now_ms():
    return int(time.time() * 1000)


# ------------------------------------------------------------------ access tokens


def access_token(participant, key, network, lifetime_s=60):
    """
    A single-use access token (ADR 0010): a compact JWS, typ tally-access+jwt, claims iss = sub =
    the participant, aud = urn:tally:<network>:gateway, iat and exp in seconds (at most 5 minutes
    apart), jti 16 random bytes in base64url.
    """
    issued = int(time.time())
    claims = {
        "iss": participant,
        "sub": participant,
        "aud": "urn:tally:%s:gateway" % network,
        "iat": issued,
        "exp": issued + lifetime_s,
        "jti": b64u(secrets.token_bytes(16)),
    }
    return sign_compact(compact_json(claims), key, TYP_ACCESS_TOKEN)


# ------------------------------------------------------------------ HTTP


class Problem(Exception):
    """An HTTP answer other than the one expected, with its Problem Details (RFC 9457)."""

    def __init__(self, method, url, status, body, retry_after=None):
        self.status = status
        self.type = ""
        self.detail = ""
        self.retry_after = retry_after
        try:
            problem = json.loads(body.decode("utf-8"))
            self.type = problem.get("type", "")
            self.detail = problem.get("detail", "")
        except (ValueError, AttributeError):
            self.detail = body[:200].decode("utf-8", "replace")
        super().__init__("%s %s answered %d %s: %s" % (method, url, status, self.type, self.detail))


def http(method, url, body=None, headers=None, expect=(200,), timeout_s=40):
    """One request with urllib; returns (status, headers, body) or raises Problem."""
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    request.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            status, answer, received = response.status, response.read(), response.headers
    except urllib.error.HTTPError as e:
        status, answer, received = e.code, e.read(), e.headers
    if status not in expect:
        raise Problem(method, url, status, answer, received.get("Retry-After"))
    return status, received, answer


def http_json(method, url, value=None, headers=None, expect=(200,)):
    all_headers = dict(headers or {})
    body = None
    if value is not None:
        body = value if isinstance(value, bytes) else compact_json(value)
        all_headers.setdefault("Content-Type", "application/json")
    _, _, answer = http(method, url, body, all_headers, expect)
    return json.loads(answer.decode("utf-8")) if answer else None


# ------------------------------------------------------------------ receipts


class ReceiptInvalid(Exception):
    """A receipt that does not verify, with the Java verifier's reason code."""

    def __init__(self, reason, message):
        self.reason = reason
        super().__init__("%s: %s" % (reason, message))


class Genesis:
    """The genesis file as loaded: its SHA-256 over the exact bytes is the network's identity."""

    def __init__(self, data):
        self.bytes = data
        self.hash = hashlib.sha256(data).hexdigest()
        doc = strict_json(data)
        self.network = doc["network"]
        self.quorum = doc["validators"]["quorum"]
        # Validators and instances by key id (the RFC 7638 thumbprint of their key).
        self.validators = []
        self.validator_by_kid = {}
        for member in doc["validators"]["members"]:
            key = jwk.JWK(**member["key"])
            self.validators.append(member["id"])
            self.validator_by_kid[key_id(key)] = (member["id"], key)
        self.instance_by_kid = {}
        for member in doc["instances"]:
            key = jwk.JWK(**member["key"])
            self.instance_by_kid[key_id(key)] = (member["id"], member["role"], key)


BLOCK_HEADER_MEMBERS = (
    "network", "shard", "height", "prev", "entryCount", "entries", "results", "state",
    "logTime", "firstOffset", "lastOffset",
)
RECEIPT_MEMBERS = {
    "instructionId", "record", "outcome", "header", "certificate", "index", "treeSize",
    "entriesProof", "resultsProof", "finality",
}
ENVELOPE_MEMBERS = {"type", "stream", "shard", "producer", "epoch", "seq", "prev", "body"}
# Which genesis role may seal which envelope type, and the typ its body's JWS carries.
RECEIPT_ENTRY_KINDS = {"instruction": ("gateway", TYP_INSTRUCTION), "governance": ("identity", TYP_GOVERNANCE)}


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 section 2.1.3.2: `leaf` is leaf `index` of the tree of `size` leaves with head `root`."""
    if len(proof) > MERKLE_PROOF_HASHES_MAX:
        raise ReceiptInvalid("TOO_LARGE", "proof exceeds %d hashes" % MERKLE_PROOF_HASHES_MAX)
    if index < 0 or index >= size:
        raise ReceiptInvalid("PROOF_INVALID", "leaf index %d outside a tree of %d" % (index, size))
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ReceiptInvalid("PROOF_INVALID", "inclusion proof is longer than the tree is deep")
        if fn & 1 == 1 or fn == sn:
            r = node_hash(p, r)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0 or r != root:
        raise ReceiptInvalid("PROOF_INVALID", "inclusion proof does not lead to the tree head")


def _hex_hash(text, what):
    if not isinstance(text, str) or not re.fullmatch(r"[0-9a-f]{64}", text):
        raise ReceiptInvalid("MALFORMED", what + " is not a lowercase hex SHA-256")
    return bytes.fromhex(text)


def _compact_parts(text, what):
    parts = text.split(".")
    if len(parts) != 3:
        raise ReceiptInvalid("MALFORMED", what + " is not a compact JWS")
    return parts


def verify_receipt(receipt_bytes, genesis):
    """
    Verifies a receipt offline against `genesis` (a Genesis), as Receipt.verify does, and returns
    what it established. Raises ReceiptInvalid with the first reason that fails.
    """
    if len(receipt_bytes) > RECEIPT_BYTES_MAX:
        raise ReceiptInvalid("TOO_LARGE", "receipt has %d bytes" % len(receipt_bytes))
    try:
        receipt = strict_json(receipt_bytes)
        if not isinstance(receipt, dict) or not set(receipt) <= RECEIPT_MEMBERS:
            raise ValueError("unknown members %s" % sorted(set(receipt) - RECEIPT_MEMBERS))
        instruction_id = receipt["instructionId"]
        # record and header: base64url of exact bytes; outcome and certificate: JSON texts inside
        # JSON strings, whose UTF-8 bytes are hashed and signed as they are.
        record = b64u_decode(receipt["record"])
        header = b64u_decode(receipt["header"])
        outcome = receipt["outcome"].encode("utf-8")
        certificate = receipt["certificate"].encode("utf-8")
        index, tree_size = receipt["index"], receipt["treeSize"]
        if not isinstance(index, int) or not isinstance(tree_size, int):
            raise ValueError("index and treeSize are integers")
        if len(receipt["entriesProof"]) > MERKLE_PROOF_HASHES_MAX or len(receipt["resultsProof"]) > MERKLE_PROOF_HASHES_MAX:
            raise ReceiptInvalid("TOO_LARGE", "a proof exceeds %d hashes" % MERKLE_PROOF_HASHES_MAX)
        entries_proof = [_hex_hash(h, "entriesProof") for h in receipt["entriesProof"]]
        results_proof = [_hex_hash(h, "resultsProof") for h in receipt["resultsProof"]]
        finality = receipt.get("finality", "")
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ReceiptInvalid("MALFORMED", "receipt: %s" % e)

    # 1. The block header: canonical bytes (fixed member order, no whitespace), of this network.
    try:
        block = strict_json(header)
        if list(block) != list(BLOCK_HEADER_MEMBERS):
            raise ValueError("members or their order differ")
    except ValueError as e:
        raise ReceiptInvalid("MALFORMED", "block header: %s" % e)
    for name in BLOCK_HEADER_MEMBERS:
        if name in ("network", "prev", "entries", "results", "state"):
            _hex_hash(block[name], "block header " + name)
        elif not isinstance(block[name], int) or isinstance(block[name], bool) or block[name] < 0:
            raise ReceiptInvalid("MALFORMED", "block header %s is not a non-negative integer" % name)
    if compact_json(block) != header:
        raise ReceiptInvalid("MALFORMED", "block header bytes are not canonical")
    if block["network"] != genesis.hash:
        raise ReceiptInvalid("HEADER_MISMATCH", "the block belongs to another network than this genesis")
    header_hash = hashlib.sha256(header).hexdigest()

    # 2. The quorum certificate: a general JWS over exactly the header bytes, by q distinct
    #    validators of the genesis; every signature must verify.
    try:
        cert = strict_json(certificate)
        if not isinstance(cert, dict) or set(cert) != {"payload", "signatures"}:
            raise ValueError("a certificate has exactly payload and signatures")
        if b64u_decode(cert["payload"]) != header:
            raise ReceiptInvalid("HEADER_MISMATCH", "certificate signs another block header")
        signatures = cert["signatures"]
        if not signatures or len(signatures) > JWS_SIGNATURES_MAX:
            raise ValueError("1 to %d signatures" % JWS_SIGNATURES_MAX)
    except ValueError as e:
        raise ReceiptInvalid("MALFORMED", "certificate: %s" % e)
    if len(signatures) < genesis.quorum:
        raise ReceiptInvalid("QUORUM_NOT_MET", "%d signatures, %d needed" % (len(signatures), genesis.quorum))
    # Cheap checks on every signature before any signature arithmetic, as GeneralJws.verify.
    named, seen = [], set()
    for signature in signatures:
        if not isinstance(signature, dict) or set(signature) != {"protected", "signature"}:
            raise ReceiptInvalid("UNPROTECTED_HEADER" if "header" in signature else "MALFORMED",
                                 "a signature has exactly protected and signature")
        kid = protected_header(signature["protected"], TYP_HEADER)["kid"]
        if kid not in genesis.validator_by_kid:
            raise ReceiptInvalid("SIGNER_UNKNOWN", "key %s is no validator's" % kid)
        if kid in seen:
            raise ReceiptInvalid("SIGNER_DUPLICATE", "key %s signs twice" % kid)
        seen.add(kid)
        named.append((signature, genesis.validator_by_kid[kid]))
    signers = []
    for signature, (validator, key) in named:
        try:
            verify_signature(signature["protected"], cert["payload"], signature["signature"], key)
        except Exception:  # jwcrypto raises several types; any failure is a bad signature
            raise ReceiptInvalid("SIGNATURE_INVALID", "the signature of %s does not verify" % validator)
        signers.append(validator)
    if len(signers) < genesis.quorum:
        raise ReceiptInvalid("QUORUM_NOT_MET", "%d distinct validators, %d needed" % (len(signers), genesis.quorum))

    # 3. Both inclusion proofs lead to the certified roots; the tree size is the block's.
    verify_inclusion(index, tree_size, leaf_hash(record), entries_proof, _hex_hash(block["entries"], "entries"))
    verify_inclusion(index, tree_size, leaf_hash(outcome), results_proof, _hex_hash(block["results"], "results"))
    if tree_size != block["entryCount"]:
        raise ReceiptInvalid("PROOF_INVALID", "tree size differs from the block's entry count")

    # 4. The record: an envelope (compact JWS, typ tally-envelope+jws) whose kid is the key of the
    #    genesis instance it names as producer, on this shard's log, of a type that producer's role
    #    may write. Its seal is not checked (ADR 0011); the certificate says the network admitted
    #    it, and any changed byte fails the entries proof.
    try:
        env_protected, env_payload, _ = _compact_parts(record.decode("ascii"), "the record")
        envelope = strict_json(b64u_decode(env_payload))
        if not isinstance(envelope, dict) or set(envelope) != ENVELOPE_MEMBERS:
            raise ValueError("an envelope has exactly %s" % sorted(ENVELOPE_MEMBERS))
    except (ValueError, UnicodeDecodeError) as e:
        raise ReceiptInvalid("MALFORMED", "envelope: %s" % e)
    kid = protected_header(env_protected, TYP_ENVELOPE)["kid"]
    if kid not in genesis.instance_by_kid:
        raise ReceiptInvalid("SIGNER_UNKNOWN", "the record's key %s is no instance's" % kid)
    producer, role, _ = genesis.instance_by_kid[kid]
    if envelope["producer"] != producer:
        raise ReceiptInvalid("SIGNER_UNKNOWN", "key of %s signs as %s" % (producer, envelope["producer"]))
    if envelope["stream"] != "log" or envelope["shard"] != block["shard"]:
        raise ReceiptInvalid("STREAM_MISMATCH", "an envelope of %s:%s in the log of shard %s"
                             % (envelope["stream"], envelope["shard"], block["shard"]))
    if envelope["type"] not in RECEIPT_ENTRY_KINDS:
        raise ReceiptInvalid("MALFORMED", "the record is a %s, not an instruction or a governance change"
                             % envelope["type"])
    permitted_role, expected_typ = RECEIPT_ENTRY_KINDS[envelope["type"]]
    if role != permitted_role:
        raise ReceiptInvalid("ROLE_FORBIDS_TYPE", "%s (%s) may not produce %s" % (producer, role, envelope["type"]))

    # 5. The envelope's body: the instruction (or governance change) JWS as its signers wrote it,
    #    every signature of the expected typ; its id and the outcome's are the receipt's.
    try:
        body = b64u_decode(envelope["body"])
        entry = strict_json(body)
        if not isinstance(entry, dict) or set(entry) != {"payload", "signatures"}:
            raise ValueError("the entry is a JWS JSON general serialization")
        for signature in entry["signatures"]:
            protected_header(signature["protected"], expected_typ)
        payload = strict_json(b64u_decode(entry["payload"]))
        result = strict_json(outcome)
        if payload["id"] != instruction_id or result["id"] != instruction_id:
            raise ReceiptInvalid("HEADER_MISMATCH", "the record or outcome is for another instruction than this")
        code = result["code"]
    except (ValueError, KeyError, TypeError) as e:
        raise ReceiptInvalid("MALFORMED", "instruction or outcome: %s" % e)

    # 6. The finality sentence, when present, states exactly the verified facts.
    derived = (
        "Irrevocable: entry %d of block %d of network %s (%s), certified by %d of %d validators"
        " (%s; %d required) over header %s."
        % (index, block["height"], genesis.network, genesis.hash, len(signers), len(genesis.validators),
           ", ".join(signers), genesis.quorum, header_hash)
    )
    if finality and finality != derived:
        raise ReceiptInvalid("FINALITY_MISMATCH", "the receipt's finality sentence states other facts: " + derived)
    return {
        "instructionId": instruction_id,
        "type": envelope["type"],
        "code": code,
        "height": block["height"],
        "index": index,
        "headerHash": header_hash,
        "signers": signers,
        "producer": producer,
        "entry": entry,
        "payload": payload,
        "finality": derived,
    }
