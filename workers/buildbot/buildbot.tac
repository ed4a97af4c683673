# buildbot.tac for a kbench Buildbot worker.  Copy it into the worker's
# directory (scripts/buildbot-worker-setup.sh does) beside three files:
#
#   worker.conf   master = HOST:PORT     name = WORKERNAME   (key = value)
#   passwd        the worker's password, one line, mode 0600
#   env           KEY=VALUE lines added to the environment of every step,
#                 e.g. KBENCH=/home/kb/kbench/bin/kbench, KBENCH_CONFIG=...,
#                 KBENCH_HOME=... (optional)
#
# so that no password is ever on a command line.  Start and stop it with
# Debian's `buildbot-worker start|stop DIR` (it uses /usr/bin/python3).
import os
import stat

from buildbot_worker.bot import Worker
from twisted.application import service
from twisted.python.log import FileLogObserver, ILogObserver
from twisted.python.logfile import LogFile

basedir = os.path.abspath(os.path.dirname(__file__))

# note: this line is matched against to check that this is a worker
# directory; do not edit it.
application = service.Application('buildbot-worker')

logfile = LogFile.fromFullPath(os.path.join(basedir, "twistd.log"),
                               rotateLength=10000000, maxRotatedFiles=10)
application.setComponent(ILogObserver, FileLogObserver(logfile).emit)


def _conf(name):
    out = {}
    with open(os.path.join(basedir, name), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                out[k.strip()] = v.strip()
    return out


conf = _conf("worker.conf")
host, _, port = conf["master"].rpartition(":")
pwfile = os.path.join(basedir, "passwd")
if os.stat(pwfile).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
    raise SystemExit(f"{pwfile}: readable by others; chmod 600")
with open(pwfile, encoding="utf-8") as f:
    passwd = f.readline().strip()
if os.path.exists(os.path.join(basedir, "env")):
    os.environ.update(_conf("env"))

s = Worker(host, int(port), conf["name"], passwd, basedir,
           int(conf.get("keepalive", "600")), umask=0o022,
           maxdelay=int(conf.get("maxdelay", "30")), numcpus=None,
           allow_shutdown=None, maxRetries=None, protocol='pb',
           useTls=0, delete_leftover_dirs=0, proxy_connection_string=None)
s.setServiceParent(application)
