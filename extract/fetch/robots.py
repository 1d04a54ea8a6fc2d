"""``robots.txt``, read with :mod:`urllib.robotparser` for the ``gongkai`` user agent (RFC 9309).

A host's ``robots.txt`` is fetched once a run, through the same client and per-host delay as
every other request, conditionally when it was fetched before.

- 2xx: its rules apply, and its ``Crawl-delay`` or ``Request-rate`` when longer than
  ``--delay`` (up to 10 minutes);
- 4xx (there is none): everything is allowed;
- 5xx: nothing is fetched from the host this run (RFC 9309 §2.3.1.4: an unreachable
  ``robots.txt`` means a complete disallow); its URLs are recorded ``robots_disallowed``;
- a timeout or a failed connection is retried like any request; after the last retry the
  host's URLs are recorded ``timeout`` / ``connection_error`` without being requested.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from extract.fetch.client import USER_AGENT_TOKEN, Client, ConnectionFailed, Timeout, TooLarge
from extract.fetch.state import FetchState, UrlState


@dataclass
class Robots:
    """One host's rules; ``unavailable`` says why everything is disallowed when robots.txt could not be read."""

    parser: RobotFileParser | None = None
    unavailable: str | None = None
    text: str = ""
    outcome: str = "robots_disallowed"

    def allows(self, url: str) -> bool:
        if self.unavailable is not None:
            return False
        return self.parser is None or self.parser.can_fetch(USER_AGENT_TOKEN, url)

    def crawl_delay(self) -> float:
        """Seconds between requests the site asks for: ``Crawl-delay`` (whole seconds, as
        :mod:`urllib.robotparser` reads it) or ``Request-rate`` (n/seconds), whichever is longer."""
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(USER_AGENT_TOKEN)
        rate = self.parser.request_rate(USER_AGENT_TOKEN)
        try:
            seconds = max(0.0, float(delay)) if delay is not None else 0.0
            if rate is not None and rate.requests > 0:
                seconds = max(seconds, rate.seconds / rate.requests)
        except (TypeError, ValueError, ZeroDivisionError):
            return 0.0
        return min(seconds, 600.0)


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def host_key(url: str) -> str:
    """The politeness unit: the host name (two ports of one machine are one host)."""
    return (urlsplit(url).hostname or "").lower()


def rules_from_text(text: str) -> Robots:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return Robots(parser=parser, text=text)


def allow_all() -> Robots:
    return Robots()


def disallow_all(why: str, outcome: str = "robots_disallowed") -> Robots:
    """Nothing may be fetched from the host this run; ``outcome`` is what its URLs are recorded as."""
    return Robots(unavailable=why, outcome=outcome)


def read_robots(client: Client, state: FetchState, url: str) -> tuple[Robots | None, tuple[str, str] | None]:
    """Fetch the robots.txt of ``url``'s site (one request, conditional when known): its rules, or
    the (outcome, message) of a timeout or failed connection, for the caller to retry."""
    where = robots_url(url)
    entry = state.get(where)
    known = entry is not None and entry.verdict == "robots" and entry.has_validators
    try:
        reply = client.get(where, entry.etag if known else None, entry.last_modified if known else None)
    except (Timeout, ConnectionFailed) as error:
        return None, ("timeout" if isinstance(error, Timeout) else "connection_error",
                      f"{where} could not be fetched ({error})")
    except TooLarge as error:
        return disallow_all(f"{where} is too large to read ({error}): nothing was requested from this host"), None
    if reply.status == 304 and known:
        return rules_from_text(entry.message), None
    if reply.status == 200 and reply.body is not None:
        text = reply.body[:512 * 1024].decode("utf-8", errors="replace")
        state.remember(where, reply.headers, UrlState(verdict="robots", message=text))
        return rules_from_text(text), None
    if reply.status >= 500:
        return disallow_all(f"{where} answered HTTP {reply.status}: RFC 9309 reads an unreachable robots.txt as a "
                            "full disallow; nothing was requested from this host"), None
    return Robots(), None  # 4xx (no robots.txt) or a redirect: no rules, everything allowed
