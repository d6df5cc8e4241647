#!/usr/bin/python3
"""
Against a running Tally network: two administrators onboard two participants and two assets
through governance, the participants open accounts, issue funds, settle a delivery versus payment
that both sign, read their balances with access tokens, and the receipt of the DvP is fetched and
verified offline against the genesis with jwcrypto.

    /usr/bin/python3 examples/python/onboard_and_settle.py --dir devstack/tally-run

Exits 0 when every step ended as expected, 1 at the first one that did not (printing why).
See examples/python/README.md and docs/integration.md.
"""

import argparse
import json
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tally_client as tally  # noqa: E402

STEP_TIMEOUT_S = 60
# Answers that mean "not yet" right after a change became final, while a service's replica of the
# certified directory catches up: asking again shortly succeeds.
NOT_YET = (
    "urn:tally:problem:signer-unknown",
    "urn:tally:problem:not-caught-up",
    "urn:tally:problem:not-certified",
    "urn:tally:problem:log-unavailable",
    "urn:tally:problem:overloaded",
)


def say(text):
    print(text, flush=True)


class Network:
    def __init__(self, gateway, identity, genesis):
        self.gateway = gateway.rstrip("/")
        self.identity = identity.rstrip("/")
        self.genesis = genesis

    # ---------------------------------------------------------------- governance (identity desk)

    def govern(self, payload, proofs, administrators):
        """Proposes a change, has each administrator approve it, and waits until it is final."""
        change = json.loads(payload)
        proposal = tally.http_json(
            "POST", self.identity + "/v1/proposals",
            {"payload": tally.b64u(payload), "proofs": proofs}, expect=(201,))
        for name, key in administrators:
            approval = tally.sign_compact(payload, key, tally.TYP_GOVERNANCE)
            proposal = tally.http_json(
                "POST", self.identity + "/v1/proposals/%s/approvals" % change["id"],
                {"approval": approval})
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while proposal["status"] != "FINAL":
            if time.monotonic() > deadline:
                raise RuntimeError("%s is %s after %d s" % (change["id"], proposal["status"], STEP_TIMEOUT_S))
            time.sleep(0.2)
            proposal = tally.http_json("GET", self.identity + "/v1/proposals/" + change["id"])
        say("  %s %s: %s %s (approved by %s)" % (
            change["kind"], change["id"], proposal["status"], proposal["code"],
            ", ".join(proposal["approvedBy"])))
        if proposal["code"] != "ACCEPTED":
            raise RuntimeError("%s ended %s" % (change["id"], proposal["code"]))

    def await_participant(self, participant):
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while True:
            try:
                return tally.http_json("GET", self.identity + "/v1/participants/" + participant)
            except tally.Problem as e:
                if e.status != 404 or time.monotonic() > deadline:
                    raise
            time.sleep(0.2)

    # ---------------------------------------------------------------- instructions (gateway)

    def submit(self, signed):
        """Submits a signed instruction and waits (Prefer: wait) for its certified outcome."""
        body = tally.compact_json(signed)
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while True:
            try:
                status, _, answer = tally.http(
                    "POST", self.gateway + "/v1/instructions", body,
                    {"Content-Type": "application/jose+json", "Prefer": "wait=20, return=minimal"},
                    expect=(200, 202))
                break
            except tally.Problem as e:
                if e.type not in NOT_YET or time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        result = json.loads(answer)
        while status == 202 or result.get("status") != "FINAL":
            if time.monotonic() > deadline:
                raise RuntimeError("%s is not final after %d s" % (result["id"], STEP_TIMEOUT_S))
            time.sleep(0.2)
            try:
                result = tally.http_json("GET", self.gateway + "/v1/instructions/" + result["id"])
                status = 200
            except tally.Problem as e:
                if e.status != 404:
                    raise
        return result

    def settle_or_fail(self, signed):
        result = self.submit(signed)
        say("  %s %s %s (offset %d, certified height %d)" % (
            result["id"], result["status"], result["code"], result["offset"], result["asOfHeight"]))
        if result["code"] != "ACCEPTED":
            raise RuntimeError("%s ended %s" % (result["id"], result["code"]))
        return result

    def account(self, participant, key, account):
        token = tally.access_token(participant, key, self.genesis.network)
        return tally.http_json(
            "GET", self.gateway + "/v1/accounts/" + account,
            headers={"Authorization": "Bearer " + token})

    def receipt(self, instruction_id):
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while True:
            try:
                _, _, body = tally.http("GET", self.gateway + "/v1/instructions/%s/receipt" % instruction_id)
                return body
            except tally.Problem as e:
                # 404 before final, 503 receipt-unavailable while the ledger has not committed it.
                if e.status not in (404, 503) or time.monotonic() > deadline:
                    raise
            time.sleep(0.3)


def env_file(run_dir):
    """TALLY_GATEWAY and TALLY_IDENTITY from the devstack's `env` file, if there is one."""
    values = {}
    path = os.path.join(run_dir, "env")
    if os.path.exists(path):
        with open(path) as lines:
            for line in lines:
                name, _, value = line.strip().removeprefix("export ").partition("=")
                values[name] = value
    return values


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("--dir", default=os.path.join(here, "..", "..", "devstack", "tally-run"),
                        help="the run directory: network.json and keys/<admin>.key (default: devstack/tally-run)")
    parser.add_argument("--gateway", help="the gateway's URL (default: TALLY_GATEWAY, then <dir>/env)")
    parser.add_argument("--identity", help="the identity desk's URL (default: TALLY_IDENTITY, then <dir>/env)")
    parser.add_argument("--admins", default="admin-1,admin-2",
                        help="the administrators who approve, comma-separated (default: admin-1,admin-2)")
    parser.add_argument("--out", help="where the new keys, the DvP and its receipt go (default: <dir>/python-<run>)")
    args = parser.parse_args()

    env = env_file(args.dir)
    gateway = args.gateway or os.environ.get("TALLY_GATEWAY") or env.get("TALLY_GATEWAY")
    identity = args.identity or os.environ.get("TALLY_IDENTITY") or env.get("TALLY_IDENTITY")
    if not gateway or not identity:
        parser.error("no gateway or identity URL: pass --gateway and --identity, or --dir of a running devstack")
    with open(os.path.join(args.dir, "network.json"), "rb") as f:
        genesis = tally.Genesis(f.read())
    network = Network(gateway, identity, genesis)
    administrators = [(name, tally.read_key(os.path.join(args.dir, "keys", name + ".key")))
                      for name in args.admins.split(",")]

    # Fresh names per run, so that the example runs on any network, again and again.
    run = secrets.token_hex(3)
    out = args.out or os.path.join(args.dir, "python-" + run)
    os.makedirs(out, exist_ok=True)
    a, b = "py-%s-a" % run, "py-%s-b" % run
    eur, bond = "PY%s-EUR" % run.upper(), "PY%s-BOND" % run.upper()
    say("python: network %s (genesis %s), gateway %s, identity %s" % (genesis.network, genesis.hash, gateway, identity))

    say("python: onboarding %s and %s and the assets %s and %s through governance (%s approve)" % (
        a, b, eur, bond, " and ".join(name for name, _ in administrators)))
    key_a = tally.generate_key(os.path.join(out, a + ".key"))
    key_b = tally.generate_key(os.path.join(out, b + ".key"))
    not_after = tally.now_ms() + 3600 * 1000
    for participant, key, name in ((a, key_a, "Python Bank A"), (b, key_b, "Python Bank B")):
        payload = tally.instruction(
            "py-%s-register-%s" % (run, participant[-1]), "register-participant", not_after,
            participant=participant, name=name, roles=["settlement"], keys=[tally.public_jwk(key)])
        # The proof of possession: the new key signs the proposal (ADR 0008).
        proof = tally.sign_compact(payload, key, tally.TYP_GOVERNANCE)
        network.govern(payload, [proof], administrators)
    for code, scale, issuer in ((eur, 2, a), (bond, 0, b)):
        payload = tally.instruction(
            "py-%s-asset-%s" % (run, code.split("-")[-1].lower()), "register-asset", not_after,
            asset=code, scale=scale, issuer=issuer)
        network.govern(payload, [], administrators)
    for participant in (a, b):
        entry = network.await_participant(participant)
        say("  directory: %s roles %s keys %s (height %d)" % (
            participant, entry["roles"], entry["currentKeyIds"], entry["asOfHeight"]))

    say("python: opening accounts and issuing funds")

    def open_account(owner, key, account, asset, flags=()):
        members = {"account": account, "owner": owner, "asset": asset}
        if flags:
            members["flags"] = sorted(flags)
        payload = tally.instruction("py-%s-open-%s" % (run, account), "open-account", tally.now_ms() + 600_000, **members)
        network.settle_or_fail(tally.sign_general(payload, [key], tally.TYP_INSTRUCTION))

    accounts = {name: "py-%s-%s" % (run, name) for name in ("a-issue", "a-eur", "a-bond", "b-issue", "b-bond", "b-eur")}
    open_account(a, key_a, accounts["a-issue"], eur, ["issuance"])
    open_account(a, key_a, accounts["a-eur"], eur)
    open_account(a, key_a, accounts["a-bond"], bond)
    open_account(b, key_b, accounts["b-issue"], bond, ["issuance"])
    open_account(b, key_b, accounts["b-bond"], bond)
    open_account(b, key_b, accounts["b-eur"], eur)
    issue_eur = tally.instruction("py-%s-issue-eur" % run, "settle", tally.now_ms() + 600_000,
                                  legs=[tally.leg(accounts["a-issue"], accounts["a-eur"], eur, 1_000_000)])
    network.settle_or_fail(tally.sign_general(issue_eur, [key_a], tally.TYP_INSTRUCTION))
    issue_bond = tally.instruction("py-%s-issue-bond" % run, "settle", tally.now_ms() + 600_000,
                                   legs=[tally.leg(accounts["b-issue"], accounts["b-bond"], bond, 1_000)])
    network.settle_or_fail(tally.sign_general(issue_bond, [key_b], tally.TYP_INSTRUCTION))

    dvp_id = "py-%s-dvp" % run
    say("python: delivery versus payment %s, 10 %s against 2,500.00 %s, signed by %s and %s" % (dvp_id, bond, eur, a, b))
    payload = tally.instruction(dvp_id, "settle", tally.now_ms() + 600_000, legs=[
        tally.leg(accounts["a-eur"], accounts["b-eur"], eur, 250_000),
        tally.leg(accounts["b-bond"], accounts["a-bond"], bond, 10),
    ])
    by_a = tally.sign_general(payload, [key_a], tally.TYP_INSTRUCTION)
    handed_over = os.path.join(out, dvp_id + ".json")
    with open(handed_over, "wb") as f:
        f.write(tally.compact_json(by_a))
    # bank B receives A's file, reads what it is asked to sign, and adds its signature to the same
    # payload text: nobody re-serializes the payload.
    with open(handed_over, "rb") as f:
        received = json.loads(f.read())
    legs = json.loads(tally.b64u_decode(received["payload"]))["legs"]
    if legs[1]["debit"] != accounts["b-bond"] or legs[1]["amount"] != "10":
        raise RuntimeError("the DvP B received is not the one it agreed to")
    both = tally.cosign(received, key_b, tally.TYP_INSTRUCTION)
    with open(handed_over, "wb") as f:
        f.write(tally.compact_json(both))
    say("  %d signatures over one payload: %s" % (
        len(both["signatures"]),
        ", ".join(json.loads(tally.b64u_decode(s["protected"]))["kid"] for s in both["signatures"])))
    dvp = network.settle_or_fail(both)

    say("python: balances, read with access tokens (tally-access+jwt, one per request)")
    expected = {(a, key_a, accounts["a-eur"]): "750000", (a, key_a, accounts["a-bond"]): "10",
                (b, key_b, accounts["b-eur"]): "250000", (b, key_b, accounts["b-bond"]): "990"}
    for (owner, key, account), balance in expected.items():
        answer = network.account(owner, key, account)
        say("  %s %s %s postedBalance %s (height %d)" % (owner, account, answer["asset"], answer["postedBalance"], answer["height"]))
        if answer["postedBalance"] != balance:
            raise RuntimeError("%s holds %s, expected %s" % (account, answer["postedBalance"], balance))
    try:
        network.account(b, key_b, accounts["a-eur"])
        raise RuntimeError("%s read %s's account" % (b, a))
    except tally.Problem as e:
        if e.status != 403:
            raise
        say("  %s reading %s: %d %s" % (b, accounts["a-eur"], e.status, e.type))

    say("python: the receipt of %s, verified offline against the genesis" % dvp_id)
    receipt = network.receipt(dvp_id)
    receipt_file = os.path.join(out, dvp_id + "-receipt.json")
    with open(receipt_file, "wb") as f:
        f.write(receipt)
    verified = tally.verify_receipt(receipt, genesis)
    say("  VALID: %s %s %s in block %d, entry %d, sealed by %s, certified by %s" % (
        verified["type"], verified["instructionId"], verified["code"], verified["height"],
        verified["index"], verified["producer"], ", ".join(verified["signers"])))
    say("  " + verified["finality"])
    if verified["code"] != "ACCEPTED" or verified["height"] > dvp["asOfHeight"]:
        raise RuntimeError("the receipt says %s at height %d" % (verified["code"], verified["height"]))
    # The receipt carries the DvP as both signed it: it is the payload A built, and both
    # participants' signatures verify with the keys this client holds (their keys live in the
    # directory, not the genesis, so the receipt's own check leaves them to the certificate).
    if tally.b64u_decode(verified["entry"]["payload"]) != payload:
        raise RuntimeError("the receipt's entry is not the payload A signed")
    keys = {tally.key_id(key_a): key_a, tally.key_id(key_b): key_b}
    for signature in verified["entry"]["signatures"]:
        kid = json.loads(tally.b64u_decode(signature["protected"]))["kid"]
        tally.verify_signature(signature["protected"], verified["entry"]["payload"], signature["signature"], keys.pop(kid))
    if keys:
        raise RuntimeError("the receipt's entry lacks a signature")
    say("  the entry is the DvP as built, and the signatures of %s and %s verify" % (a, b))

    # One changed part and the receipt no longer verifies, with the reason the Java verifier gives.
    original = json.loads(receipt)
    certificate = json.loads(original["certificate"])
    tampered = {
        "outcome": ("outcome", original["outcome"].replace('"ACCEPTED"', '"REFUSED"'), "PROOF_INVALID"),
        "finality": ("finality", original["finality"].replace("certified by ", "certified by 9 of 9 ("), "FINALITY_MISMATCH"),
        "certificate": ("certificate", json.dumps(dict(certificate, signatures=certificate["signatures"][:genesis.quorum - 1])), "QUORUM_NOT_MET"),
        "record": ("record", original["record"][:40] + ("A" if original["record"][40] != "A" else "B") + original["record"][41:], "PROOF_INVALID"),
    }
    for what, (member, value, reason) in tampered.items():
        try:
            tally.verify_receipt(json.dumps(dict(original, **{member: value})).encode("utf-8"), genesis)
            raise RuntimeError("a receipt with a changed %s verified" % what)
        except tally.ReceiptInvalid as e:
            if e.reason != reason:
                raise RuntimeError("a changed %s failed with %s, expected %s" % (what, e.reason, reason))
            say("  changed %s: INVALID %s" % (what, e.reason))
    say("python: receipt written to %s" % receipt_file)
    say("python: done")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # every failure ends the run with a message and exit code 1
        print("python: FAILED: %s: %s" % (type(e).__name__, e), file=sys.stderr, flush=True)
        sys.exit(1)
