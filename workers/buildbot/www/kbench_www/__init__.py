"""kbench_www: the smallest `base` web application Buildbot's master
accepts, so that Debian's Buildbot (whose web UI is not packaged) serves
its REST API (/api/v2), /auth and a plain status page.

Registered as the `base` entry point of the `buildbot.www` group by the
dist-info directory beside this package: put workers/buildbot/www on the
master's PYTHONPATH (scripts/buildbot-up.sh does).
"""
from buildbot.www.plugin import Application

ep = Application(__name__, "kbench: REST API and a plain status page")
