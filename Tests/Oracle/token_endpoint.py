"""A loopback stand-in for Google's OAuth2 token endpoint (https://oauth2.googleapis.com/token)
for the service-account tests. It accepts the JWT bearer grant (RFC 7523) and verifies the
assertion as Google does: an RS256 signature valid under the public half of the key in the
service-account file SERVICE_ACCOUNT_KEY (read at each request), iss = its client_email,
aud = its token_uri, a devstorage scope, and iat/exp at most an hour apart and (give or take
5 minutes) around now. Prints its port on stdout, then serves until killed. Every exchange
is a JSON line in LOG (never the key).

usage: SERVICE_ACCOUNT_KEY=key.json python3 token_endpoint.py LOG EXPIRES_IN
"""
import base64
import http.server
import json
import os
import sys
import time
import urllib.parse

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

log_path, expires_in = sys.argv[1], int(sys.argv[2])
issued = 0


def b64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(assertion):
    key = json.load(open(os.environ["SERVICE_ACCOUNT_KEY"]))
    head, body, signature = assertion.split(".")
    header, claims = json.loads(b64(head)), json.loads(b64(body))
    if header.get("alg") != "RS256" or header.get("typ") != "JWT":
        raise ValueError(f"header is {header}, not RS256 JWT")
    public = serialization.load_pem_private_key(key["private_key"].encode(), password=None).public_key()
    try:
        public.verify(b64(signature), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise ValueError("the signature does not verify with the service account's key")
    if claims.get("iss") != key["client_email"]:
        raise ValueError(f"iss {claims.get('iss')} is not {key['client_email']}")
    if claims.get("aud") != key["token_uri"]:
        raise ValueError(f"aud {claims.get('aud')} is not {key['token_uri']}")
    if "devstorage" not in claims.get("scope", ""):
        raise ValueError(f"scope {claims.get('scope')} has no devstorage")
    now = time.time()  # 5 minutes of clock skew either way, and no expired assertion
    if not (0 < claims["exp"] - claims["iat"] <= 3600) or claims["iat"] > now + 300 or claims["exp"] < now - 300:
        raise ValueError(f"iat {claims['iat']} / exp {claims['exp']} are not a valid hour")
    return claims


class TokenEndpoint(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global issued
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        try:
            if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
                raise ValueError(f"grant_type is {form.get('grant_type')}")
            claims = verify(form["assertion"][0])
            issued += 1
            entry, status = {"n": issued, "iss": claims["iss"], "scope": claims["scope"], "iat": claims["iat"], "exp": claims["exp"]}, 200
            answer = {"access_token": f"tok-{issued}", "expires_in": expires_in, "token_type": "Bearer"}
        except Exception as error:
            entry, status = {"error": str(error)}, 400
            answer = {"error": "invalid_grant", "error_description": str(error)}
        with open(log_path, "a") as log:
            log.write(json.dumps(entry) + "\n")
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), TokenEndpoint)
print(server.server_address[1], flush=True)
server.serve_forever()
