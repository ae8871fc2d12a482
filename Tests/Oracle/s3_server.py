"""A loopback S3 for the raw-cache tests: moto's S3 backend (moto 5.2.1) served in-process,
in memory, on 127.0.0.1. Prints its port on stdout once ready, then serves until killed.

usage: python3 s3_server.py [--port N] [--create-bucket NAME]... [--verify-auth KEY_ID SECRET]

--port N                 port to bind (default 0: any free port; the real one is printed)
--create-bucket NAME     create bucket NAME (us-east-1) before the port is printed; repeatable
--verify-auth ID SECRET  make moto check every request's SigV4 signature against this key pair

Both addressing styles work, decided by moto's S3Response.subdomain_based_buckets on Host:
  path style     http://127.0.0.1:PORT/BUCKET/KEY   (Host 127.0.0.1:PORT or localhost:PORT)
  virtual host   http://BUCKET.localhost:PORT/KEY   (Host BUCKET.localhost:PORT; the bucket is
                 the Host's first label, so bucket names with dots only work path style).
                 glibc does not resolve BUCKET.localhost here (only plain localhost is in
                 /etc/hosts): a client must connect to 127.0.0.1 and send that Host header.

Auth: by default moto checks no signature at all: any Authorization header is accepted, and
a request with none is anonymous (GET of a private object then gets 403, as on S3).
moto verifies SigV4 only once settings.INITIAL_NO_AUTH_ACTION_COUNT (env var of that name,
default inf) requests have been served; it then looks the access key id up among the users of
its own IAM backend, recomputes the signature with botocore, and checks the user's IAM policy.
--verify-auth sets that count to 0 and creates an IAM user holding exactly the given key pair
with an s3:* policy, so a wrong secret gets 403 SignatureDoesNotMatch and an unknown key id
403 InvalidAccessKeyId; a request with no Authorization header at all gets 403 AccessDenied.
Not checked even then: X-Amz-Date skew, and x-amz-content-sha256 against the body (moto signs
with the header's value; UNSIGNED-PAYLOAD is accepted).

Checked against moto 5.2.1: If-None-Match: * on PutObject and on CompleteMultipartUpload
gives 412 PreconditionFailed when the key exists; ListObjectsV2 honours max-keys and
continuation-token. Nothing but the port goes to stdout.
"""
import argparse
import logging
import os

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")  # moto's backends want some credentials
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import json
import flask
from werkzeug.serving import make_server
from moto import settings
from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.access_control import S3IAMRequest
from moto.iam.models import iam_backends
from moto.moto_server.werkzeug_app import create_backend_app
from moto.s3.models import s3_backends

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--create-bucket", action="append", default=[], metavar="NAME")
parser.add_argument("--verify-auth", nargs=2, metavar=("KEY_ID", "SECRET"))
args = parser.parse_args()
logging.getLogger("werkzeug").setLevel(logging.ERROR)

for name in args.create_bucket:
    s3_backends[DEFAULT_ACCOUNT_ID]["aws"].create_bucket(name, "us-east-1")

if args.verify_auth:
    iam = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
    iam.create_user("us-east-1", "raw-cache")
    iam.put_user_policy("raw-cache", "s3-all", json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    key = iam.create_access_key("raw-cache")
    key.access_key_id, key.secret_access_key = args.verify_auth
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0

    # Fix: moto recomputes the signature over the path re-quoted by werkzeug ('%2B' -> '+'),
    # so keys with '+', '=', '~'... never verify. S3 signs the URI exactly as sent: use that.
    create_aws_request = S3IAMRequest._create_aws_request

    def _create_aws_request(self):
        self._path = flask.request.environ.get("RAW_URI", self._path)
        return create_aws_request(self)

    S3IAMRequest._create_aws_request = _create_aws_request

app = create_backend_app("s3")  # S3 only, whatever the Host (moto's DomainDispatcherApplication
# would pick a service from the Host/Authorization headers).


# Fix: Flask parses a body sent as application/x-www-form-urlencoded (the default Content-Type
# of urllib, curl -d and others) and moto then stores an empty object; S3 stores the bytes
# whatever the Content-Type. Never parse forms.
class RawBodyRequest(app.request_class):
    want_form_data_parsed = False


app.request_class = RawBodyRequest


def wsgi(environ, start_response):
    # Fix: with --verify-auth, moto answers 500 (KeyError) to a request without Authorization;
    # S3 answers 403 AccessDenied (presigned URLs are not supported here).
    if args.verify_auth and "HTTP_AUTHORIZATION" not in environ:
        start_response("403 Forbidden", [("Content-Type", "application/xml")])
        return [b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code>"
                b"<Message>Access Denied</Message></Error>"]
    return app(environ, start_response)


server = make_server("127.0.0.1", args.port, wsgi, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
