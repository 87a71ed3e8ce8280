"""A local SMTP server for the notification tests: accepts mail on 127.0.0.1 and writes each message
to a directory, one file per message. Optionally answers the first N DATA commands with a temporary
failure (451), so tests can prove that delivery is retried and happens once.

Usage: smtp-sink.py DIRECTORY [FAIL_FIRST]   (prints "listening on PORT" once ready; stops on stdin EOF)
"""
import os
import socket
import sys
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory: str, fail_first: int) -> None:
        self.directory = directory
        self.failures_left = fail_first

    async def handle_DATA(self, server, session, envelope):
        if self.failures_left > 0:
            self.failures_left -= 1
            return "451 4.3.0 temporary failure (test)"
        path = os.path.join(self.directory, f"{uuid.uuid4()}.eml")
        with open(path, "wb") as handle:
            handle.write(f"X-Envelope-To: {','.join(envelope.rcpt_tos)}\r\n".encode())
            handle.write(envelope.original_content or envelope.content)
        return "250 OK"


def main() -> None:
    directory = sys.argv[1]
    fail_first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(directory, fail_first), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"listening on {port}", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
