"""Real local servers for the notification tests: an SMTP server (aiosmtpd) and an SMS
gateway hook (http.server), each on 127.0.0.1 and a free port, in a thread of this process."""

import email
import email.policy
import json
import socket
from http.server import BaseHTTPRequestHandler

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the default language: a test client's request in English leaves
    English active in the thread, and the case services word reporters' messages in the
    active language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An SMTP handler keeping every message it accepts. ``refuse_first`` DATA commands are
    answered 451 (try again later) before it starts accepting."""

    def __init__(self, refuse_first: int = 0):
        self.refuse_first = refuse_first
        self.port = None
        self.data_commands = 0
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if self.data_commands <= self.refuse_first:
            return "451 4.3.0 Mailbox busy, try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "from": envelope.mail_from, "message": message,
                              "subject": str(message["Subject"]), "body": message.get_content()})
        return "250 Message accepted for delivery"


def _smtp(settings, handler: Mailbox):
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    settings.ANJU_NOTIFY_BACKEND = "smtp"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return controller


@pytest.fixture
def smtp_server(settings):
    """A working SMTP server; its ``messages`` are what it received."""
    mailbox = Mailbox()
    controller = _smtp(settings, mailbox)
    yield mailbox
    controller.stop()


@pytest.fixture
def flaky_smtp_server(settings):
    """An SMTP server that answers 451 to the first two messages, then accepts."""
    mailbox = Mailbox(refuse_first=2)
    controller = _smtp(settings, mailbox)
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """The SMTP settings point at a port where nothing listens."""
    settings.ANJU_NOTIFY_BACKEND = "smtp"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 5


class Gateway:
    """What the SMS hook received, and the HTTP status it answers with next."""

    def __init__(self):
        self.received = []
        self.status = 200


@pytest.fixture
def sms_gateway(settings, http_server):
    gateway = Gateway()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            gateway.received.append({"path": self.path, "content_type": self.headers.get("Content-Type"),
                                     "json": json.loads(self.rfile.read(length).decode())})
            self.send_response(gateway.status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    settings.ANJU_NOTIFY_BACKEND = "smtp"
    settings.ANJU_SMS_HOOK_URL = http_server(Hook) + "/sms/send"
    return gateway
