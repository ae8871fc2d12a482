"""A loopback webhook receiver for the alert tests: records every POST body as a JSON line
and answers 500 to the first FAIL_FIRST requests, 204 after. Prints its port on stdout.

usage: python3 webhook_receiver.py LOG FAIL_FIRST
"""
import http.server
import json
import sys

log_path, fail_first = sys.argv[1], int(sys.argv[2])
seen = 0


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        seen += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(log_path, "a") as log:
            log.write(json.dumps({"n": seen, "content_type": self.headers.get("Content-Type"), "body": json.loads(body)}) + "\n")
        self.send_response(500 if seen <= fail_first else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
print(server.server_address[1], flush=True)
server.serve_forever()
