"""``gongkai fetch``: download the agencies' reports into the reports folder, politely.

``SOURCES.csv`` (:mod:`.sources`) names report files and listing pages. The crawl
(:mod:`.crawl`) reads listing pages and report pages (:mod:`.pages`), keeps to ``robots.txt``
(:mod:`.robots`), sends one request at a time per host with a delay, and retries with backoff
(:mod:`.schedule`) through one HTTP client (:mod:`.client`: User-Agent, conditional requests,
size cap). Files are named from host and path (:mod:`.naming`), written with their
``manifest.csv`` rows (:mod:`.manifest`) and their validators (:mod:`.state`); every URL's outcome
is a record of the fetch log (:mod:`.log`), carried into ``raw.fetch_log`` by the next refresh.
:mod:`.run` is the command: lock, options, summary.
"""
