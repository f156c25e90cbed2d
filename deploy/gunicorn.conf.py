"""gunicorn settings shared by docker-compose.yml and the benchmark.

The access log names the path without its query string and never the remote user: a
credential sent by mistake in a URL (``?api_key=...``) or as a Basic-auth user name must
not be written to disk. Timeouts are set together with the API's bulk limits
(docs/operations.md): the largest accepted bulk request finishes well inside ``timeout``.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# %(U)s is the path without the query; no %(r)s, %(q)s or %(u)s.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# gunicorn believes no forwarding header itself; the application decides (TRUSTED_PROXIES).
forwarded_allow_ips = ""
