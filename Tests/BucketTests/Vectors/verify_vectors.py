#!/usr/bin/env python3
"""Check sigv4.json: for every vector, the SHA-256 of canonical_request must be the last line
of string_to_sign, and HMAC-SHA256 under the SigV4 signing key must give signature.
Exits 1 on any mismatch."""
import hashlib
import hmac
import json
import os
import sys


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def check(v: dict) -> list:
    errors = []
    day = v["date"][:8]
    scope = f"{day}/{v['region']}/{v['service']}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", v["date"], scope,
                     hashlib.sha256(v["canonical_request"].encode("utf-8")).hexdigest()])
    if sts != v["string_to_sign"]:
        errors.append("string_to_sign")
    key = _hmac(("AWS4" + v["secret_key"]).encode("utf-8"), day)
    for part in (v["region"], v["service"], "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()
    if signature != v["signature"]:
        errors.append(f"signature (computed {signature})")
    if not v["authorization"].endswith("Signature=" + v["signature"]):
        errors.append("authorization does not end with the signature")
    if f"Credential={v['access_key']}/{scope}" not in v["authorization"]:
        errors.append("authorization credential scope")
    if v["canonical_request"].split("\n")[-1] != v["payload_hash"]:
        errors.append("payload_hash is not the canonical request's last line")
    if v["payload_hash"] != "UNSIGNED-PAYLOAD" and \
            hashlib.sha256(v["body"].encode("utf-8")).hexdigest() != v["payload_hash"]:
        errors.append("payload_hash is not the SHA-256 of body")
    return errors


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "sigv4.json")
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)
    failed = 0
    for v in vectors:
        errors = check(v)
        print(f"{'ok  ' if not errors else 'FAIL'} {v['name']}" + (": " + "; ".join(errors) if errors else ""))
        failed += bool(errors)
    print(f"{len(vectors) - failed}/{len(vectors)} vectors verified")
    return 1 if failed or not vectors else 0


if __name__ == "__main__":
    sys.exit(main())
