#!/usr/bin/env python3
"""A real SMTP server for the tests, on 127.0.0.1 only (aiosmtpd).

Stores every accepted message byte-exact (envelope.original_content) as DIR/NNNN.eml with
the envelope in DIR/NNNN.json, and prints `ready PORT` on stdout once it listens.

  smtp_sink.py DIR [--port N] [--refuse CODE] [--tls CERT KEY --user U --password P]
                   [--stall-at N --delay S]

--refuse 451 answers every DATA with 451 (temporary) or 550 (permanent);
--tls requires STARTTLS and AUTH with the given user and password;
--stall-at N holds the reply to RCPT TO of the (N+1)th message for --delay seconds, once,
  before any of its content is transferred (a slow server); while it holds, DIR/stalled exists,
  so a test can act (kill the client) at exactly that point; creating DIR/release ends the hold.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, folder, refuse, stall_at, delay):
        self.folder = folder
        self.refuse = refuse
        self.stall_at = stall_at
        self.delay = delay
        self.count = len([n for n in os.listdir(folder) if n.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stall_at is not None and self.count == self.stall_at:
            self.stall_at = None
            marker = os.path.join(self.folder, "stalled")
            open(marker, "w").close()
            release = os.path.join(self.folder, "release")
            for _ in range(int(self.delay * 20)):
                if os.path.exists(release):
                    break
                await asyncio.sleep(0.05)
            os.unlink(marker)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return f"{self.refuse} {'try again later' if self.refuse < 500 else 'message refused'}"
        self.count += 1
        base = os.path.join(self.folder, f"{self.count:04d}")
        with open(base + ".eml.part", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.part", base + ".eml")
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        return "250 OK stored"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)
    return check


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--refuse", type=int, default=0)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--stall-at", type=int)
    parser.add_argument("--delay", type=float, default=30)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    handler = Sink(args.folder, args.refuse, args.stall_at, args.delay)
    options = {}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
        options = dict(tls_context=context, require_starttls=True, auth_required=True,
                       authenticator=authenticator(args.user, args.password))
    port = args.port
    if port == 0:
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(f"ready {port}", flush=True)
    stop = asyncio.Event() if False else None
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    controller.stop()


if __name__ == "__main__":
    main()
