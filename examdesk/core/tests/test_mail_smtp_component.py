"""E-mail through a real SMTP conversation (a small SMTP server on the loopback address): the message with its
attachment arrives, and a recipient the server refuses ends as failed with the server's answer."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy

import pytest

from examdesk.core.mail import Attachment, email_queue
from examdesk.core.models import OutboundEmail

pytestmark = [pytest.mark.component, pytest.mark.django_db(transaction=True)]


class _Session(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: EHLO, MAIL, RCPT (refusing @refused.example), DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test.example ESMTP")
        recipients: list[str] = []
        while raw := self.rfile.readline():
            command = raw.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-test.example")
                self.reply("250 8BITMIME")
            elif verb == "HELO" or verb == "MAIL" or verb == "RSET" or verb == "NOOP":
                self.reply("250 OK")
            elif verb == "RCPT":
                if "@refused.example" in command:
                    self.reply("550 5.1.1 No such mailbox here")
                else:
                    recipients.append(command.split(":", 1)[1].strip(" <>"))
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                self.server.received.append((recipients, b"".join(lines)))  # type: ignore[attr-defined]
                self.reply("250 Queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


@pytest.fixture
def smtp_server(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Session)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


def test_smtp_delivers_the_attachment(smtp_server):
    email = email_queue(
        to="zoe@example.org",
        subject="Your statement",
        body="Attached.",
        attachments=[Attachment("0042-Łukasiewicz-Zoë.pdf", b"%PDF-1.3 statement", "application/pdf")],
    )
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    ((recipients, data),) = smtp_server.received
    assert recipients == ["zoe@example.org"]
    (part,) = list(message_from_bytes(data, policy=policy.default).iter_attachments())
    assert part.get_filename() == "0042-Łukasiewicz-Zoë.pdf" and part.get_content() == b"%PDF-1.3 statement"


def test_smtp_refusal_fails_the_message_with_the_servers_answer(smtp_server):
    email = email_queue(to="nobody@refused.example", subject="Your statement", body="Attached.")
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == 1
    assert email.error == "The mail server refused the address: 550 5.1.1 No such mailbox here"
    assert smtp_server.received == []
