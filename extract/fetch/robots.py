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

from extract.fetch.client import USER_AGENT_TOKEN


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
