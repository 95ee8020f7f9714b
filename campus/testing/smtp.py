"""A real SMTP server on 127.0.0.1 for the tests that send e-mail.

`smtp_server` starts aiosmtpd on a free port of this machine and points Django's
SMTP backend at it for one test, so messages leave through smtplib and a real
SMTP conversation, as in production, instead of Django's in-memory outbox.
The server keeps what it receives, parsed with the `email` package, with its
envelope recipients. The suite allows sockets to 127.0.0.1 only (pytest-socket's
--allow-hosts in pyproject.toml), which is where the server listens.
"""

import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class ReceivedMessage:
    """A message as the server received it: envelope and parsed content."""

    mail_from: str
    recipients: list[str]
    message: EmailMessage
    # The client's (address, port): one per SMTP connection.
    peer: tuple

    def __getitem__(self, header: str):
        return self.message[header]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, content_type: str) -> str:
        """The decoded text of the part `content_type` (text/plain, text/html)."""
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return part.get_content()
        raise AssertionError(f"No {content_type} part in {self.subject!r}")

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")


class _Keeper:
    """aiosmtpd handler: keeps every accepted message; refuses listed addresses."""

    def __init__(self):
        self.messages: list[ReceivedMessage] = []
        self.refused: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(
                ReceivedMessage(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    parsed,
                    tuple(session.peer),
                )
            )
        return "250 Message accepted for delivery"


class SMTPServer:
    """The running server: its port, and what it received."""

    def __init__(self):
        self.handler = _Keeper()
        self.controller = Controller(self.handler, hostname=HOST, port=_free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self.handler._lock:
            return list(self.handler.messages)

    def to(self, address: str) -> list[ReceivedMessage]:
        """The messages whose envelope named `address`."""
        return [m for m in self.messages if address in m.recipients]

    def refuse(self, address: str) -> None:
        """Answers 550 to this recipient, as a server does for an unknown mailbox."""
        self.handler.refused.add(address.lower())

    def clear(self) -> None:
        with self.handler._lock:
            self.handler.messages.clear()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost, and Django's SMTP backend pointed at it."""
    server = SMTPServer()
    server.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        server.controller.stop()
