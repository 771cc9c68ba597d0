"""A small HTTP server for the DICOMweb tests: faults a real PACS does not make on demand, and static DICOM files.

Started by the tests on 127.0.0.1 (port 0: the OS picks a free one, printed on the first line of stdout). Routes,
by the first path segment:
  /static/<path>   files under --root, as application/dicom (DICOM files over plain HTTP: dicomweb://, wadouri:)
  /retry/...       QIDO and metadata answers; each distinct URL answers 503 (Retry-After: 1) once, then 200
  /drop/...        each distinct URL first sends headers and part of the body, then closes the connection
  /html/...        an HTML page with status 200, as a login portal or proxy error page does
  /trunc/...       valid metadata, but frames as multipart/related without the closing boundary
  /paged/...       QIDO over 12 instances, at most 5 a page, with Warning: 299 when more exist
  /_counts         JSON: requests per route since start (or since /_reset)
Every request is kept in memory for /_counts only as a count. With a certificate and key file after the root, HTTPS.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
STUDY = "1.2.826.0.1.3680043.8.498.1"
SERIES = "1.2.826.0.1.3680043.8.498.1.1"
LOCK = threading.Lock()
COUNTS = {}
SEEN = set()


def instance(n):
    return {
        "0020000D": {"vr": "UI", "Value": [STUDY]},
        "0020000E": {"vr": "UI", "Value": [SERIES]},
        "00080018": {"vr": "UI", "Value": [f"{SERIES}.{n}"]},
        "00080016": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.7"]},
        "00080060": {"vr": "CS", "Value": ["OT"]},
        "00200013": {"vr": "IS", "Value": [n]},
    }


def metadata(n):
    d = instance(n)
    d.update({
        "00280002": {"vr": "US", "Value": [1]},
        "00280004": {"vr": "CS", "Value": ["MONOCHROME2"]},
        "00280010": {"vr": "US", "Value": [2]},
        "00280011": {"vr": "US", "Value": [2]},
        "00280100": {"vr": "US", "Value": [8]},
        "00280101": {"vr": "US", "Value": [8]},
        "00280102": {"vr": "US", "Value": [7]},
        "00280103": {"vr": "US", "Value": [0]},
        "7FE00010": {"vr": "OB", "BulkDataURI": "bulk"},
    })
    return d


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def dicomweb(self, path, query):
        """The canned DICOMweb answer for a path after the route segment."""
        parts = path.strip("/").split("/")
        if parts[-1] == "instances" or parts[-1] == "series" or parts[-1] == "studies":
            return 200, json.dumps([instance(n) for n in range(1, 4)]).encode(), "application/dicom+json", {}
        if parts[-1] == "metadata":
            n = int(parts[-2].rsplit(".", 1)[1])
            return 200, json.dumps([metadata(n)]).encode(), "application/dicom+json", {}
        if len(parts) >= 2 and parts[-2] == "frames":
            boundary = "b0undary"
            body = (f"--{boundary}\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n\r\n").encode() + bytes([0, 64, 128, 255]) + f"\r\n--{boundary}--\r\n".encode()
            return 200, body, f'multipart/related; type="application/octet-stream"; boundary={boundary}', {}
        return 404, b"{}", "application/json", {}

    def do_GET(self):
        url = urlsplit(self.path)
        route, _, rest = url.path.lstrip("/").partition("/")
        query = parse_qs(url.query)
        with LOCK:
            COUNTS[route] = COUNTS.get(route, 0) + 1
            first = self.path not in SEEN
            SEEN.add(self.path)
        if route == "_counts":
            with LOCK:
                body = json.dumps(COUNTS).encode()
            return self.send(200, body, "application/json")
        if route == "_reset":
            with LOCK:
                COUNTS.clear()
                SEEN.clear()
            return self.send(200, b"{}", "application/json")
        if route == "static":
            import os
            full = os.path.realpath(os.path.join(ROOT, rest))
            if not full.startswith(os.path.realpath(ROOT) + os.sep) or not os.path.isfile(full):
                return self.send(404, b"not found", "text/plain")
            with open(full, "rb") as f:
                return self.send(200, f.read(), "application/dicom")
        if route == "retry":
            if first:
                return self.send(503, b"busy", "text/plain", {"Retry-After": "1"})
            return self.send(*self.dicomweb(rest, query))
        if route == "drop":
            status, body, ctype, extra = self.dicomweb(rest, query)
            if first:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body) + 1000))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            return self.send(status, body, ctype, extra)
        if route == "html":
            return self.send(200, b"<html><body>Please log in</body></html>", "text/html; charset=utf-8")
        if route == "trunc":
            status, body, ctype, extra = self.dicomweb(rest, query)
            if "/frames/" in rest:
                body = body[: body.rfind(b"\r\n--")]
            return self.send(status, body, ctype, extra)
        if route == "paged":
            limit = int(query.get("limit", ["100"])[0])
            offset = int(query.get("offset", ["0"])[0])
            total = 12
            page = min(limit, 5)
            items = [instance(n) for n in range(offset + 1, min(total, offset + page) + 1)]
            extra = {"Warning": '299 test: "There are more results"'} if offset + len(items) < total and len(items) < limit else {}
            return self.send(200, json.dumps(items).encode(), "application/dicom+json", extra)
        return self.send(404, b"not found", "text/plain")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if len(sys.argv) > 3:
        # --tls with a certificate and key: HTTPS (the tests make a self-signed pair).
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
