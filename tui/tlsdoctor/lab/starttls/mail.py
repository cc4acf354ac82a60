"""Mail and file-transfer lab servers: SMTP (RFC 3207), IMAP and POP3 (RFC 2595), FTP (RFC 4217 AUTH TLS)."""

from __future__ import annotations

from tlsdoctor.lab.starttls.base import Offer, Plain, StarttlsServer


class SmtpServer(StarttlsServer):
    """RFC 5321 greeting and EHLO; STARTTLS (RFC 3207) answered 220, or 454 when refusing."""

    protocol = "smtp"

    def negotiate(self, plain: Plain) -> bool:
        plain.send(f"220 {self.name} ESMTP tlsdoctor-lab\r\n")
        while True:
            line = plain.line()
            verb = line.split(b" ", 1)[0].upper()
            if verb == b"EHLO":
                starttls = "250-STARTTLS\r\n" if self.offer is not Offer.NOT_OFFERED else ""
                plain.send(f"250-{self.name} greets you\r\n250-PIPELINING\r\n{starttls}250 8BITMIME\r\n")
            elif verb == b"HELO":
                plain.send(f"250 {self.name}\r\n")
            elif verb == b"STARTTLS":
                if self.offer is Offer.OFFER:
                    plain.send("220 2.0.0 Ready to start TLS\r\n")
                    return True
                if self.offer is Offer.REFUSE:
                    plain.send("454 4.7.0 TLS not available due to local problem\r\n")
                else:
                    plain.send("502 5.5.1 Error: command not implemented\r\n")
            elif verb == b"QUIT":
                plain.send("221 2.0.0 Bye\r\n")
                return False
            elif verb in (b"NOOP", b"RSET"):
                plain.send("250 2.0.0 Ok\r\n")
            else:
                plain.send("502 5.5.2 Error: command not recognized\r\n")


class ImapServer(StarttlsServer):
    """RFC 3501 greeting, CAPABILITY; STARTTLS (RFC 2595 §3.1) answered OK, or NO when refusing."""

    protocol = "imap"

    def negotiate(self, plain: Plain) -> bool:
        plain.send("* OK tlsdoctor lab IMAP4rev1 ready\r\n")
        while True:
            tag, _, rest = plain.line().partition(b" ")
            verb = rest.split(b" ", 1)[0].upper()
            t = tag.decode("ascii", errors="replace")
            if verb == b"CAPABILITY":
                starttls = " STARTTLS" if self.offer is not Offer.NOT_OFFERED else ""
                plain.send(f"* CAPABILITY IMAP4rev1{starttls} LOGINDISABLED\r\n{t} OK CAPABILITY completed\r\n")
            elif verb == b"STARTTLS":
                if self.offer is Offer.OFFER:
                    plain.send(f"{t} OK Begin TLS negotiation now\r\n")
                    return True
                plain.send(f"{t} NO [UNAVAILABLE] TLS is not available on this server\r\n"
                           if self.offer is Offer.REFUSE else f"{t} BAD Unknown command\r\n")  # fmt: skip
            elif verb == b"LOGOUT":
                plain.send(f"* BYE tlsdoctor lab logging out\r\n{t} OK LOGOUT completed\r\n")
                return False
            elif verb == b"NOOP":
                plain.send(f"{t} OK NOOP completed\r\n")
            else:
                plain.send(f"{t} BAD Unknown command\r\n")


class Pop3Server(StarttlsServer):
    """RFC 1939 greeting, CAPA (RFC 2449); STLS (RFC 2595 §4) answered +OK, or -ERR when refusing."""

    protocol = "pop3"

    def negotiate(self, plain: Plain) -> bool:
        plain.send("+OK tlsdoctor lab POP3 ready\r\n")
        while True:
            verb = plain.line().split(b" ", 1)[0].upper()
            if verb == b"CAPA":
                stls = "STLS\r\n" if self.offer is not Offer.NOT_OFFERED else ""
                plain.send(f"+OK Capability list follows\r\nUSER\r\n{stls}PIPELINING\r\n.\r\n")
            elif verb == b"STLS":
                if self.offer is Offer.OFFER:
                    plain.send("+OK Begin TLS negotiation\r\n")
                    return True
                plain.send("-ERR [SYS/TEMP] TLS not available\r\n" if self.offer is Offer.REFUSE else "-ERR Unknown command\r\n")
            elif verb == b"QUIT":
                plain.send("+OK Bye\r\n")
                return False
            else:
                plain.send("-ERR Unknown command\r\n")


class FtpServer(StarttlsServer):
    """RFC 959 greeting, FEAT (RFC 2389); AUTH TLS (RFC 4217 §4) answered 234, or 534 when refusing."""

    protocol = "ftp"

    def negotiate(self, plain: Plain) -> bool:
        plain.send("220-tlsdoctor lab FTP\r\n220 Ready\r\n")
        while True:
            line = plain.line()
            verb = line.split(b" ", 1)[0].upper()
            if verb == b"FEAT":
                auth = " AUTH TLS\r\n PBSZ\r\n PROT\r\n" if self.offer is not Offer.NOT_OFFERED else ""
                plain.send(f"211-Features:\r\n{auth} UTF8\r\n211 End\r\n")
            elif verb == b"AUTH":
                if self.offer is Offer.OFFER and line[5:].strip().upper() in (b"TLS", b"SSL", b"TLS-C"):
                    plain.send("234 AUTH TLS successful\r\n")
                    return True
                plain.send("534 Request denied for policy reasons.\r\n"
                           if self.offer is Offer.REFUSE else "502 Command not implemented.\r\n")  # fmt: skip
            elif verb == b"QUIT":
                plain.send("221 Goodbye.\r\n")
                return False
            else:
                plain.send("500 Unknown command.\r\n")
