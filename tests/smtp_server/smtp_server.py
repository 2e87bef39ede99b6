#!/usr/bin/python3
"""A mail server for tests of the kiosk's email destination, on loopback only.

It behaves as a council's submission server should: STARTTLS is required before anything else,
then AUTH (LOGIN or PLAIN) with the one username and password it is given; only then MAIL.
Each message it accepts is written to --out-dir as NNNN.eml (the exact bytes after DATA) and
NNNN.json (envelope sender, recipients, login, whether TLS was on).

The TLS certificate comes from a throwaway CA made with openssl in --tls-dir the first time
(ca.pem there is what a client must trust). Fault switches: --answer-451 N and --answer-550 N
answer the next N messages' DATA with 451 or 550 (451s first); a wrong password gets 535.
The chosen port is written to --port-file once the server listens.
"""
import argparse
import asyncio
import json
import os
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult


def make_certificates(directory):
    """A CA and a server certificate for 127.0.0.1 and localhost, made once per directory."""
    os.makedirs(directory, exist_ok=True)
    ca_cert = os.path.join(directory, "ca.pem")
    server_cert = os.path.join(directory, "server.pem")
    server_key = os.path.join(directory, "server.key")
    if os.path.exists(ca_cert) and os.path.exists(server_cert):
        return ca_cert, server_cert, server_key
    ca_key = os.path.join(directory, "ca.key")
    csr = os.path.join(directory, "server.csr")
    extensions = os.path.join(directory, "server.ext")
    with open(extensions, "w") as out:
        out.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                  "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run(["openssl", "req", "-x509", *ec, "-keyout", ca_key, "-out", ca_cert,
                    "-subj", "/CN=Council Kiosk test CA", "-days", "2"], **quiet)
    subprocess.run(["openssl", "req", *ec, "-keyout", server_key, "-out", csr,
                    "-subj", "/CN=localhost"], **quiet)
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
                    "-CAcreateserial", "-out", server_cert, "-days", "2", "-extfile", extensions], **quiet)
    return ca_cert, server_cert, server_key


class MailSink:
    def __init__(self, out_dir, answer_451, answer_550):
        self.out_dir = out_dir
        self.answer_451 = answer_451
        self.answer_550 = answer_550
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):
        if self.answer_451 > 0:
            self.answer_451 -= 1
            return "451 4.3.0 Temporary failure, try again later"
        if self.answer_550 > 0:
            self.answer_550 -= 1
            return "550 5.7.1 Message rejected by policy"
        self.accepted += 1
        name = os.path.join(self.out_dir, "%04d" % self.accepted)
        with open(name + ".eml.part", "wb") as out:
            out.write(envelope.original_content)
        with open(name + ".json", "w") as out:
            json.dump({"mailFrom": envelope.mail_from, "recipients": envelope.rcpt_tos,
                       "login": getattr(session.auth_data, "login", b"").decode("utf-8", "replace"),
                       "tls": session.ssl is not None}, out)
        # The .eml appears whole or not at all for a test polling the directory.
        os.rename(name + ".eml.part", name + ".eml")
        return "250 2.0.0 Ok: queued as TEST%04d" % self.accepted


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--tls-dir", required=True)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--answer-451", type=int, default=0)
    parser.add_argument("--answer-550", type=int, default=0)
    options = parser.parse_args()

    _, server_cert, server_key = make_certificates(options.tls_dir)
    os.makedirs(options.out_dir, exist_ok=True)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(server_cert, server_key)
    sink = MailSink(options.out_dir, options.answer_451, options.answer_550)
    username = options.username.encode()
    password = options.password.encode()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == username and auth_data.password == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    def protocol():
        return SMTP(sink, hostname="smtp.test", decode_data=False, tls_context=tls,
                    require_starttls=True, auth_required=True, auth_require_tls=True,
                    authenticator=authenticator)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(protocol, "127.0.0.1", options.port))
    port = server.sockets[0].getsockname()[1]
    with open(options.port_file + ".part", "w") as out:
        out.write("%d\n" % port)
    os.rename(options.port_file + ".part", options.port_file)
    print("smtp test server on 127.0.0.1:%d" % port, file=sys.stderr, flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()
