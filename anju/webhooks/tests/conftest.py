"""A real HTTP receiver for the webhook tests: a ``ThreadingHTTPServer`` on 127.0.0.1 in a
thread, answering with the statuses a test lines up and checking every signature it gets, as a
receiving county system would."""

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

import pytest

from anju.webhooks.models import Endpoint
from anju.webhooks.signing import verify_signature


@dataclass
class Received:
    path: str
    headers: object  # an email.message.Message: names are case-insensitive
    body: bytes
    verified: bool

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Receiver:
    url: str = ""
    secret: str = ""
    requests: list = field(default_factory=list)
    # Statuses to answer with, in order; 200 once they are used up.
    statuses: list = field(default_factory=list)
    # Extra headers for the answers (a redirect's Location).
    answer_headers: dict = field(default_factory=dict)
    # When set, the receiver holds every request until ``release`` is set (a slow system).
    hang: bool = False
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *statuses: int) -> None:
        self.statuses = list(statuses)

    def take(self, path: str, headers, body: bytes) -> int:
        verified = verify_signature(self.secret, headers.get("X-Anju-Timestamp", ""), body,
                                    headers.get("X-Anju-Signature", ""))
        with self.lock:
            self.requests.append(Received(path, headers, body, verified))
            return self.statuses.pop(0) if self.statuses else 200

    @property
    def bodies(self) -> list[bytes]:
        return [r.body for r in self.requests]


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    # urllib follows *_proxy variables; the receiver is local and must be reached directly.
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def receiver(http_server):
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = state.take(self.path, self.headers, body)
            if state.hang:
                state.release.wait(10)
            answer = f"answer {status}".encode()
            try:
                self.send_response(status)
                for name, value in state.answer_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:
                pass  # The client gave up (timeout test).

        def log_message(self, *args):
            pass

    state.url = http_server(Handler) + "/anju-hook"
    yield state
    state.release.set()


@pytest.fixture
def closed_url():
    """A local URL where nothing listens: connections are refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/anju-hook"


@pytest.fixture
def endpoint(db, receiver):
    """Register an endpoint for the receiver (which then checks signatures with its secret)."""

    def make(events=("*",), *, url=None, active=True, name="县应急指挥平台"):
        registered = Endpoint.objects.create(name=name, url=url or receiver.url, events=list(events), active=active)
        receiver.secret = registered.secret
        return registered

    return make
