"""kbench_bb.py: the Buildbot master configuration for kbench.

master.cfg calls master_config(basedir).  It reads two files:

  the kbench configuration (kbench.conf: workers, workloads, database),
      found as kbench itself finds it, or as buildbot.conf's
      kbench_config says;
  the master's own settings (buildbot.conf, libconfig syntax): ports,
      schedules, subjects (what a patch applies to), where each kbench
      worker's steps run.  BASEDIR/buildbot.conf, else
      $KBENCH_BUILDBOT_CONF, else configs/buildbot/buildbot.conf (ROOT/configs/buildbot).

and two secret files under the master's secrets directory (mode 0600,
never in the repository): `users` (user:password, who may force, stop,
rebuild and try) and `workers` (buildbot-worker-name:password).

It defines a builder per kbench worker, the try, force and mainline
schedulers, and the steps that run kbench on the worker.  Every value a
user gives (properties) reaches kbench through the environment of a
fixed argv (workers/buildbot/kbench-step), never through a shell string.

Run as a script (with /usr/bin/python3) it prints what the scripts need:
    kbench_bb.py workers SETTINGS      buildbot worker names, one a line
    kbench_bb.py check SETTINGS        read everything, say what is wrong
    kbench_bb.py render SETTINGS K=V.. SETTINGS with overrides, complete
"""

import json
import os
import re
import stat
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import libconf  # noqa: E402

ROOT = os.environ.get("KBENCH_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(HERE)))
NAME_RE = re.compile(r"^[A-Za-z0-9._+-]{1,64}$")
PATCH_ID_RE = re.compile(r"^[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*$")
ROLE = "kbench-users"

DEFAULTS = {
    "kbench_config": "",
    "title": "kbench",
    "title_url": "",
    "buildbot_url": "",
    "db_url": "sqlite:///state.sqlite",
    "secrets_dir": "secrets",
    "worker_port": "tcp:9989:interface=127.0.0.1",
    "try_port": "tcp:8031:interface=127.0.0.1",
    "www_port": "",
    "read_access": "open",
    "patch_dirs": ["$KBENCH_ROOT/kernel-src/patches"],
    "mainline": {"interval": 86400, "workloads": ["libc-small"], "n": 0,
                 "repo": "", "branch": "master", "poll_interval": 600},
    "try": {"n": 5, "subject": "", "threshold": 0.0, "timeout": 0},
    "subjects": [],
    "placement": [],
}


class KbenchConfigError(Exception):
    pass


def _merge(defaults, got, where):
    out = {}
    for k, v in got.items():
        if k not in defaults:
            raise KbenchConfigError(
                f"{where}: unknown key '{k}'; expected one of: "
                + ", ".join(sorted(defaults)))
    for k, dv in defaults.items():
        v = got.get(k, dv)
        if isinstance(dv, dict):
            if not isinstance(v, dict):
                raise KbenchConfigError(f"{where}: '{k}' must be a group")
            v = _merge(dv, v, f"{where}: {k}")
        out[k] = v
    return out


def _expand_root(p, base):
    if p.startswith("$KBENCH_ROOT/"):
        return os.path.join(ROOT, p[len("$KBENCH_ROOT/"):])
    if p == "$KBENCH_ROOT":
        return ROOT
    return p if os.path.isabs(p) else os.path.join(base, p)


def settings_path(basedir=None):
    if basedir and os.path.exists(os.path.join(basedir, "buildbot.conf")):
        return os.path.join(basedir, "buildbot.conf")
    env = os.environ.get("KBENCH_BUILDBOT_CONF")
    if env:
        return env
    return os.path.join(ROOT, "configs", "buildbot", "buildbot.conf")


def load_settings(path):
    s = _merge(DEFAULTS, libconf.load(path), path)
    s["_path"] = os.path.abspath(path)
    s["_dir"] = os.path.dirname(s["_path"])
    if s["read_access"] not in ("open", "users"):
        raise KbenchConfigError(f"{path}: read_access must be \"open\" or "
                                "\"users\"")
    for sub in s["subjects"]:
        for k in sub:
            if k not in ("name", "repo", "base", "build", "command", "args",
                         "workload"):
                raise KbenchConfigError(f"{path}: subject: unknown key '{k}'")
        if not NAME_RE.match(sub.get("name", "")):
            raise KbenchConfigError(f"{path}: subject without a valid name")
        for k in ("command", "args"):
            if not all(isinstance(x, str) for x in sub.get(k, [])):
                raise KbenchConfigError(
                    f"{path}: subject {sub['name']}: {k} must be a list of "
                    "strings")
    for p in s["placement"]:
        for k in p:
            if k not in ("kbench", "buildbot", "kbench_bin", "max_builds"):
                raise KbenchConfigError(f"{path}: placement: unknown key "
                                        f"'{k}'")
    return s


def kbench_config_path(settings):
    p = settings["kbench_config"]
    if p:
        return _expand_root(p, settings["_dir"])
    if os.environ.get("KBENCH_CONFIG"):
        return os.environ["KBENCH_CONFIG"]
    return os.path.join(ROOT, "configs", "kbench.conf")


def load_kbench(path):
    """Workers, workload names and the database of a kbench.conf."""
    conf = libconf.load(path) if os.path.exists(path) else {}
    base = os.path.dirname(os.path.abspath(path))
    workers = []
    for w in conf.get("workers", []):
        workers.append({k: w.get(k, "") for k in
                        ("name", "transport", "arch", "os", "host")})
    if not any(w["name"] == "local" for w in workers):
        workers.insert(0, {"name": "local", "transport": "local", "arch": "",
                           "os": "", "host": ""})
    dirs = conf.get("workload_dirs", ["$KBENCH_ROOT/configs/workloads"])
    workloads = []
    for d in dirs:
        d = _expand_root(d, base)
        for f in sorted(os.listdir(d)):
            if f.startswith(".") or not f.endswith(".conf"):
                continue
            wl = libconf.load(os.path.join(d, f))
            workloads.append(wl.get("name", f[:-len(".conf")]))
    conninfo = conf.get("database", {}).get("conninfo", "")
    return {"path": path, "workers": workers, "workloads": workloads,
            "conninfo": conninfo}


def read_secrets(path):
    """name:password lines from a file only its owner can read."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise KbenchConfigError(f"{path}: missing (name:password lines, "
                                "mode 0600)")
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KbenchConfigError(f"{path}: readable by others (mode "
                                f"{stat.S_IMODE(st.st_mode):o}); chmod 600")
    if st.st_uid != os.getuid():
        raise KbenchConfigError(f"{path}: not owned by this user")
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, pw = line.partition(":")
            if not sep or not NAME_RE.match(name) or not pw:
                raise KbenchConfigError(f"{path}:{n}: expected name:password")
            out[name] = pw
    return out


def placement(settings, kconf):
    """kbench worker -> (buildbot worker, kbench binary, max builds)."""
    by = {p["kbench"]: p for p in settings["placement"] if "kbench" in p}
    out = {}
    for w in kconf["workers"]:
        p = by.get(w["name"], {})
        out[w["name"]] = {"buildbot": p.get("buildbot", w["name"]),
                          "kbench_bin": p.get("kbench_bin", ""),
                          "max_builds": int(p.get("max_builds", 1))}
    return out


def buildbot_workers(settings, kconf):
    seen = []
    for p in placement(settings, kconf).values():
        if p["buildbot"] not in seen:
            seen.append(p["buildbot"])
    return seen


# --- what the steps need at build time --------------------------------------

def _patch_for(props, settings):
    """The patch of a build: from `buildbot try --diff`, the `patch`
    property (text) or the `patch_id` property (a file under patch_dirs).
    Returns (bytes or None, where-from or error)."""
    build = props.getBuild()
    for ss in build.getAllSourceStamps():
        p = ss.patch
        if p and p[1]:
            body = p[1]
            return (body if isinstance(body, bytes) else body.encode(),
                    "try")
    text = props.getProperty("patch") or ""
    if text.strip():
        if not text.endswith("\n"):
            text += "\n"
        return text.replace("\r\n", "\n").encode(), "property patch"
    pid = props.getProperty("patch_id") or ""
    if pid:
        if not PATCH_ID_RE.match(pid) or ".." in pid.split("/"):
            return None, f"patch_id {pid!r}: not a patch name"
        for d in settings["patch_dirs"]:
            f = os.path.join(_expand_root(d, settings["_dir"]), pid)
            if os.path.isfile(f):
                with open(f, "rb") as fp:
                    return fp.read(), f
        return None, f"patch_id {pid!r}: not found in " + ", ".join(
            settings["patch_dirs"])
    return None, None


def _words(v):
    return [w for w in re.split(r"[\s,]+", str(v or "")) if w]


def make_steps(settings, kconf):
    """The step classes, built here so that `buildbot` is imported only
    by the master (never by the scripts that use this file)."""
    from twisted.internet import defer
    from buildbot.plugins import steps
    from buildbot.process import buildstep, logobserver
    from buildbot.process.results import (EXCEPTION, FAILURE, SUCCESS,
                                          WARNINGS)

    RUN_RE = re.compile(r"^(?:variant (\S+): )?run (\S+): workload (\S+), "
                        r"worker (\S+), kernel (.*)$")
    STAT_RE = re.compile(r"^(real|user|sys)\s+(\d+)\s+([\d.]+)\s+([\d.]+)"
                         r"\s+([\d.]+)")

    class KbenchStep(buildstep.ShellMixin, buildstep.BuildStep):
        """Run workers/buildbot/kbench-step on the worker; its result is
        kbench's: 0 SUCCESS, 3 (regression) WARNINGS, else FAILURE.  Sets
        properties from kbench's JSON (try) or summary (run)."""

        warnOnWarnings = True
        flunkOnFailure = True
        haltOnFailure = True

        def __init__(self, mode, workload=None, **kwargs):
            kwargs = self.setupShellMixin(kwargs)
            super().__init__(**kwargs)
            self.mode = mode
            self.wl = workload
            self.obs = logobserver.BufferLogObserver(wantStdout=True,
                                                     wantStderr=True)
            self.addLogObserver("stdio", self.obs)

        @defer.inlineCallbacks
        def run(self):
            cmd = yield self.makeRemoteShellCommand()
            yield self.runCommand(cmd)
            if cmd.didFail() and cmd.rc is None:
                return EXCEPTION
            out, err = self.obs.getStdout(), self.obs.getStderr()
            runs = [m.groups() for m in map(RUN_RE.match,
                                            (out + "\n" + err).splitlines())
                    if m]
            if self.mode == "try":
                yield self.try_props(out, runs)
            else:
                yield self.run_props(out, runs)
            if cmd.rc == 0:
                return SUCCESS
            if cmd.rc == 3:
                return WARNINGS
            # kbench says why on stderr, one "kbench ...: reason" line.
            why = [ln for ln in err.splitlines()
                   if ln.startswith("kbench") and
                   not ln.startswith("kbench-step: ")]
            if why:
                self.prop("error", why[-1][:500])
                self.descriptionDone = [why[-1][:120]]
            return FAILURE

        def prop(self, name, value):
            self.setProperty(name, value, "kbench")

        @defer.inlineCallbacks
        def try_props(self, out, runs):
            start = out.find("{")
            if start == -1:
                return
            try:
                d = json.loads(out[start:])
            except ValueError as e:
                yield self.addCompleteLog("json-error", str(e))
                return
            labels = d.get("labels", {})
            self.prop("label_a", labels.get("a"))
            self.prop("label_b", labels.get("b"))
            verdicts = {}
            lines = [f"A = {labels.get('a')}", f"B = {labels.get('b')}", ""]
            for m in d.get("metrics", []):
                name = m.get("metric")
                if not name or not NAME_RE.match(name):
                    continue
                verdicts[name] = m.get("verdict")
                self.prop("verdict_" + name, m.get("verdict"))
                self.prop("diff_pct_" + name, m.get("diff_pct"))
                lines.append(f"{name:8} {m.get('verdict', '?'):13} "
                             f"{m.get('diff_pct', 0) or 0:+.2f}% "
                             f"+/- {m.get('diff_pct_ci', 0) or 0:.2f}%")
            order = ["regression", "improvement", "no-change",
                     "inconclusive"]
            overall = next((v for v in order if v in verdicts.values()),
                           None)
            self.prop("verdict", overall)
            self.prop("verdicts", verdicts)
            for label, ukey, *_ in runs:
                side = "a" if label == labels.get("a") else \
                    "b" if label == labels.get("b") else None
                if side:
                    self.prop("run_" + side, ukey)
            self.descriptionDone = [f"kbench try: {overall}"] + (
                [f"real {verdicts['real']}"] if "real" in verdicts else [])
            yield self.addCompleteLog("verdict", "\n".join(lines) + "\n")

        @defer.inlineCallbacks
        def run_props(self, out, runs):
            ukeys = [r[1] for r in runs]
            if ukeys:
                self.prop("run_" + self.wl, ukeys[-1])
            for line in out.splitlines():
                m = STAT_RE.match(line)
                if m:
                    self.prop(f"median_{m.group(1)}_{self.wl}",
                              float(m.group(3)))
            self.descriptionDone = [f"kbench run {self.wl}"]
            yield defer.succeed(None)

    class KbenchPlan(buildstep.BuildStep):
        """Decide what this build does and add its steps: a try when the
        build has a patch, else a `kbench run` per workload."""
        name = "plan"
        flunkOnFailure = True
        haltOnFailure = True

        def __init__(self, kbench_worker, **kwargs):
            super().__init__(**kwargs)
            self.kworker = kbench_worker

        @defer.inlineCallbacks
        def run(self):
            props = self.build.getProperties()
            log = []
            patch, origin = _patch_for(props, settings)
            if patch is None and origin:
                yield self.addCompleteLog("error", origin + "\n")
                self.descriptionDone = [origin]
                return FAILURE
            n = props.getProperty("n") or 0
            try:
                n = int(n)
            except (TypeError, ValueError):
                n = -1
            if n < 0 or n > 100000:
                yield self.addCompleteLog("error", f"n {n!r}: not a count\n")
                return FAILURE
            place = placement(settings, kconf)[self.kworker]
            env = {"KB_WORKER": self.kworker,
                   "KB_KBENCH": place["kbench_bin"]}
            if kconf["conninfo"]:
                env["KBENCH_DB"] = kconf["conninfo"]
            script = os.path.join(ROOT, "workers", "buildbot", "kbench-step")
            new = [steps.FileDownload(mastersrc=script,
                                      workerdest="kbench-step", mode=0o755,
                                      name="kbench-step")]
            if patch is not None:
                subj = self.subject(props)
                if subj is None:
                    yield self.addCompleteLog(
                        "error", f"no such subject: "
                        f"{props.getProperty('subject')!r}\n")
                    return FAILURE
                wl = props.getProperty("workload") or subj.get(
                    "workload", "")
                if wl and not NAME_RE.match(wl):
                    yield self.addCompleteLog("error", f"workload {wl!r}: "
                                              "not a name\n")
                    return FAILURE
                n = n or settings["try"]["n"]
                env.update({"KB_PATCH": "patch.diff", "KB_N": str(n),
                            "KB_WORKLOAD": wl,
                            "KB_REPO": subj.get("repo", ""),
                            "KB_BASE": subj.get("base", ""),
                            "KB_BUILD": subj.get("build", ""),
                            "KB_THRESHOLD": str(settings["try"]["threshold"]
                                                or ""),
                            "KB_TIMEOUT": str(settings["try"]["timeout"]
                                              or "")})
                argv = ["sh", "kbench-step", "try"] + list(
                    subj.get("args", []))
                if subj.get("command"):
                    argv += ["--"] + list(subj["command"])
                self.setProperty("subject", subj["name"], "kbench")
                self.setProperty("patch_from", origin, "kbench")
                new.append(steps.StringDownload(patch,
                                                workerdest="patch.diff",
                                                name="patch"))
                new.append(KbenchStep("try", name="kbench try",
                                      command=argv, env=env,
                                      logEnviron=False))
                log.append(f"try on {self.kworker}: subject "
                           f"{subj['name']}, patch from {origin}, n={n}, "
                           f"workload={wl or '-'}")
            else:
                wls = _words(props.getProperty("workload")) or \
                    settings["mainline"]["workloads"]
                bad = [w for w in wls if w not in kconf["workloads"]]
                if bad:
                    yield self.addCompleteLog(
                        "error", "not configured workloads: " +
                        ", ".join(bad) + "\n(configured: " +
                        ", ".join(kconf["workloads"]) + ")\n")
                    return FAILURE
                n = n or settings["mainline"]["n"]
                for w in wls:
                    e = dict(env, KB_WORKLOAD=w, KB_N=str(n or ""))
                    new.append(KbenchStep("run", workload=w,
                                          name=f"kbench run {w}",
                                          command=["sh", "kbench-step",
                                                   "run"],
                                          env=e, logEnviron=False))
                log.append(f"run on {self.kworker}: workloads "
                           f"{' '.join(wls)}, n={n or 'default'}")
            self.build.addStepsAfterCurrentStep(new)
            yield self.addCompleteLog("plan", "\n".join(log) + "\n")
            self.descriptionDone = log
            return SUCCESS

        def subject(self, props):
            name = props.getProperty("subject") or \
                settings["try"]["subject"]
            subs = settings["subjects"] or [{"name": "kernel"}]
            if not name:
                return subs[0]
            return next((s for s in subs if s["name"] == name), None)

    return KbenchPlan, KbenchStep


# --- the master configuration ----------------------------------------------

def master_config(basedir):
    from buildbot.plugins import changes, schedulers, util, worker

    settings = load_settings(settings_path(basedir))
    kconf = load_kbench(kbench_config_path(settings))
    secrets = os.path.join(basedir, settings["secrets_dir"])
    users = read_secrets(os.path.join(secrets, "users"))
    wpass = read_secrets(os.path.join(secrets, "workers"))
    place = placement(settings, kconf)
    KbenchPlan, _ = make_steps(settings, kconf)

    c = {"title": settings["title"], "titleURL": settings["title_url"] or None,
         "buildbotNetUsageData": None,
         "db": {"db_url": settings["db_url"]},
         "protocols": {"pb": {"port": settings["worker_port"]}}}
    if settings["buildbot_url"]:
        c["buildbotURL"] = settings["buildbot_url"]

    c["workers"] = []
    for name in buildbot_workers(settings, kconf):
        if name not in wpass:
            raise KbenchConfigError(
                f"{os.path.join(secrets, 'workers')}: no password for "
                f"buildbot worker '{name}'")
        maxb = min(p["max_builds"] for p in place.values()
                   if p["buildbot"] == name)
        c["workers"].append(worker.Worker(name, wpass[name],
                                          max_builds=maxb))

    c["builders"] = []
    for w in kconf["workers"]:
        f = util.BuildFactory()
        f.addStep(KbenchPlan(w["name"]))
        c["builders"].append(util.BuilderConfig(
            name=w["name"], workernames=[place[w["name"]]["buildbot"]],
            factory=f, tags=[t for t in (w["transport"], w["arch"], w["os"])
                             if t],
            description=f"kbench worker {w['name']} ({w['transport']})"))
    names = [b.name for b in c["builders"]]

    c["schedulers"] = [
        schedulers.Try_Userpass(name="try", builderNames=names,
                                port=settings["try_port"],
                                userpass=sorted(users.items())),
        schedulers.ForceScheduler(
            name="force", builderNames=names, buttonName="Run kbench",
            label="kbench: try a patch, or run workloads",
            reason=util.StringParameter(name="reason", label="reason",
                                        default="by hand", size=40),
            codebases=[util.CodebaseParameter(
                "", hide=True,
                branch=util.FixedParameter(name="branch", default=""),
                revision=util.FixedParameter(name="revision", default=""),
                repository=util.FixedParameter(name="repository",
                                               default=""),
                project=util.FixedParameter(name="project", default=""))],
            properties=[
                util.TextParameter(
                    name="patch", label="patch text (a diff or git "
                    "format-patch mail; empty: run the workloads)",
                    default="", cols=80, rows=8),
                util.StringParameter(
                    name="patch_id", label="or patch id (a file under "
                    "the patch directories)", default="", size=40,
                    regex=r"^[A-Za-z0-9._+/-]*$"),
                util.StringParameter(
                    name="workload", label="workload (try: its label; "
                    "run: names, comma separated)", default="", size=40,
                    regex=r"^[A-Za-z0-9._+, -]*$"),
                util.IntParameter(name="n", label="n (0: default)",
                                  default=0),
                util.StringParameter(name="subject", label="subject",
                                     default="", size=20,
                                     regex=r"^[A-Za-z0-9._+-]*$"),
            ]),
    ]
    ml = settings["mainline"]
    if ml["interval"]:
        c["schedulers"].append(schedulers.Periodic(
            name="mainline", builderNames=names,
            periodicBuildTimer=int(ml["interval"])))
    c["change_source"] = []
    if ml["repo"]:
        c["change_source"].append(changes.GitPoller(
            repourl=ml["repo"], branches=[ml["branch"]],
            workdir=os.path.join(basedir, "gitpoller"),
            pollInterval=int(ml["poll_interval"]), pollAtLaunch=True))
        c["schedulers"].append(schedulers.SingleBranchScheduler(
            name="mainline-commits", builderNames=names,
            change_filter=util.ChangeFilter(branch=ml["branch"]),
            treeStableTimer=None))

    if settings["www_port"]:
        rules = [util.AnyControlEndpointMatcher(role=ROLE)]
        if settings["read_access"] == "users":
            rules.insert(0, util.AnyEndpointMatcher(role=ROLE))
        c["www"] = {
            "port": settings["www_port"],
            "plugins": {},
            "auth": util.UserPasswordAuth(sorted(users.items())),
            "authz": util.Authz(
                allowRules=rules,
                roleMatchers=[util.RolesFromUsername(
                    roles=[ROLE], usernames=sorted(users))]),
        }
    else:
        c["www"] = {"port": None}
    return c


def _dump(v, indent=""):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + "".join(
            "\\" + c if c in '"\\' else c if " " <= c < "\x7f"
            else "\\x%02x" % ord(c) for c in v) + '"'
    if isinstance(v, list):
        if v and isinstance(v[0], dict):
            return "(\n" + ",\n".join(
                indent + "\t" + _dump(x, indent + "\t") for x in v) + \
                "\n" + indent + ")"
        return "[ " + ", ".join(_dump(x) for x in v) + " ]"
    if isinstance(v, dict):
        return "{\n" + "".join(
            f"{indent}\t{k} = {_dump(x, indent + chr(9))};\n"
            for k, x in v.items()) + indent + "}"
    raise TypeError(v)


def render(src, overrides):
    """SRC's settings with paths made absolute and KEY=VALUE overrides
    (KEY or GROUP.KEY of a string or number), as a complete libconfig
    file."""
    s = load_settings(src)
    for kv in overrides:
        k, _, v = kv.partition("=")
        group, _, key = k.rpartition(".")
        d, dd = (s[group], DEFAULTS[group]) if group in DEFAULTS and \
            isinstance(DEFAULTS[group], dict) else (s, DEFAULTS)
        if group and d is s or key not in dd or \
                not isinstance(dd[key], (str, int, float)):
            raise KbenchConfigError(f"render: cannot set '{k}'")
        d[key] = type(dd[key])(v)
    s["kbench_config"] = kbench_config_path(s) if s["kbench_config"] \
        else ""
    s["patch_dirs"] = [_expand_root(d, s["_dir"]) for d in s["patch_dirs"]]
    body = "".join(f"{k} = {_dump(v)};\n" for k, v in s.items()
                   if not k.startswith("_"))
    return f"# generated from {s['_path']}\n" + body


def main(argv):
    if len(argv) < 2 or argv[1] not in ("workers", "check", "render"):
        print("usage: kbench_bb.py workers|check [SETTINGS]\n"
              "       kbench_bb.py render SETTINGS [KEY=VALUE...]",
              file=sys.stderr)
        return 2
    if argv[1] == "render":
        try:
            sys.stdout.write(render(argv[2], argv[3:]))
        except (KbenchConfigError, libconf.ConfError, OSError,
                IndexError) as e:
            print(f"kbench_bb: {e}", file=sys.stderr)
            return 1
        return 0
    try:
        s = load_settings(argv[2] if len(argv) > 2 else settings_path())
        k = load_kbench(kbench_config_path(s))
    except (KbenchConfigError, libconf.ConfError, OSError) as e:
        print(f"kbench_bb: {e}", file=sys.stderr)
        return 1
    if argv[1] == "workers":
        for w in buildbot_workers(s, k):
            print(w)
    else:
        print(f"settings: {s['_path']}\nkbench config: {k['path']}\n"
              f"builders: {' '.join(w['name'] for w in k['workers'])}\n"
              f"workloads: {' '.join(k['workloads'])}\n"
              f"buildbot workers: {' '.join(buildbot_workers(s, k))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
