"""A loopback Google Cloud Storage for the raw-cache tests: gcp-storage-emulator (PyPI) in
memory on 127.0.0.1, with two things real GCS documents that the emulator lacks, added here.
Prints its port on stdout once ready, then serves until killed.

usage: python3 gcs_server.py [--port N] [--bucket NAME]... [--require-token TOKEN]

What real GCS does that the emulator lacks (and the product relies on):
- `ifGenerationMatch=0` on an upload succeeds only when no live object has that name; GCS
  answers 412 Precondition Failed otherwise (the emulator overwrote).
- Object listings page: at most `maxResults` items (default 1000) in name order, and a
  `nextPageToken` while more remain, passed back as `pageToken` (the emulator returned all).
  Prefixes (with `delimiter`) all come on the first page.
- A media upload stores its body as bytes whatever its Content-Type (the emulator parsed an
  `application/json` body and then failed on it, and dropped the connection on an empty one).
--require-token TOKEN answers 401 to any request without `Authorization: Bearer TOKEN`.
"""
import argparse
import base64
import json
import logging
import re
import threading
import urllib.parse

from gcp_storage_emulator import server as gcs
from gcp_storage_emulator.exceptions import NotFound
from gcp_storage_emulator.handlers import buckets

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--bucket", action="append", default=[])
parser.add_argument("--require-token")
args = parser.parse_args()
logging.disable(logging.CRITICAL)


_read_data = gcs._read_data


def read_media_as_bytes(handler, query):
    if query.get("uploadType") == ["media"]:
        return gcs._decode_raw_data(gcs._read_raw_data(handler), handler) or b""  # empty objects too
    return _read_data(handler, query)


gcs._read_data = read_media_as_bytes


class Handler(gcs.RequestHandler):
    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _refused(self):
        if args.require_token and self.headers.get("Authorization") != f"Bearer {args.require_token}":
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._answer(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
            return True
        return False

    def do_GET(self):
        if self._refused():
            return
        url = urllib.parse.urlsplit(self.path)
        listing = re.match(r"^/storage/v1/b/([-.\w]+)/o$", url.path)
        if listing:
            return self._list(listing.group(1), urllib.parse.parse_qs(url.query))
        super().do_GET()

    def do_POST(self):
        if self._refused():
            return
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        upload = re.match(r"^/upload/storage/v1/b/([-.\w]+)/o$", url.path)
        if upload and query.get("ifGenerationMatch") == ["0"] and "name" in query:
            try:
                self.storage.get_file_obj(upload.group(1), query["name"][0])
                exists = True
            except NotFound:
                exists = False
            if exists:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                return self._answer(412, {"error": {"code": 412, "message": "At least one of the pre-conditions you specified did not hold.",
                                                    "errors": [{"reason": "conditionNotMet", "location": "If-Match"}]}})
        super().do_POST()

    def _list(self, bucket, query):
        prefix = query.get("prefix", [None])[0]
        delimiter = query.get("delimiter", [None])[0]
        limit = int(query.get("maxResults", ["1000"])[0])
        after = base64.urlsafe_b64decode(query["pageToken"][0]).decode() if "pageToken" in query else None
        try:
            items, prefixes = self.storage.get_file_list(bucket, prefix, delimiter, None)
        except NotFound:
            return self._answer(404, {"error": {"code": 404, "message": "The specified bucket does not exist."}})
        items = sorted(items, key=lambda item: item["name"])
        if after is not None:
            items = [item for item in items if item["name"] > after]
        page = {"kind": "storage#objects", "items": items[:limit]}
        if after is None and prefixes:
            page["prefixes"] = sorted(prefixes)
        if len(items) > limit:
            page["nextPageToken"] = base64.urlsafe_b64encode(items[limit - 1]["name"].encode()).decode()
        self._answer(200, page)


gcs.RequestHandler = Handler  # the server builds its handlers from this name when it starts
server = gcs.create_server("127.0.0.1", args.port, in_memory=True)
for name in args.bucket:
    buckets.create_bucket(name, server._storage)
server.start()
print(server._api._httpd.server_address[1], flush=True)
threading.Event().wait()  # serve until killed
