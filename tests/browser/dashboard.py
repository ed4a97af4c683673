#!/usr/bin/env python3
"""dashboard.py: the dashboard in real headless Chromium, through
Debian's chromedriver and its W3C WebDriver HTTP API (standard library
only).  Used by tests/integration/74-dashboard.sh.

usage: dashboard.py URL TOKEN SHOTS SERIES ALERT TRY
  URL     kbench serve's address (http://127.0.0.1:PORT)
  SHOTS   the directory for screenshots
  SERIES  a series page's name (series-W-L.html) of 20 kernels k01..k20
  ALERT   an alert's id
  TRY     a finished try's id (base and patched booted twice each, the
          patched kernel 10% slower in real time)

Checks, each an assertion: the index's matrix has 9 cells whose
computed colours are their verdicts' (3 regression, 3 improvement, 3
no change); a date filter narrows the series page; moving the mouse
onto the graph's last point shows its kernel and value in the legend;
the triage form refuses a wrong token and, with the right one, sets
the alert's state; the series' two notes are on its graph; the
finished try's page shows its verdict table
(real a regression, in the regression colour of style.css) and its four boots in
order.  Prints one line per check.
"""
import base64, json, os, shutil, socket, subprocess, sys, tempfile, time
import urllib.error, urllib.request

ELEM = "element-6066-11e4-a52e-4f735466cecf"
# The cells' backgrounds in dashboards/style.css.
COLOURS = {"regression": "rgb(246, 213, 213)",
           "improvement": "rgb(211, 236, 216)",
           "no-change": "rgb(228, 232, 236)"}


class Driver:
    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": shutil.which("chromium"),
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--window-size=1280,900", "--no-first-run",
                     "--user-data-dir=" + tempfile.mkdtemp(
                         prefix="kbench-chromium.")]}}}}
        self.sid = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        if path != "/session":
            path = "/session/%s%s" % (self.sid, path)
        req = urllib.request.Request(self.base + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)["value"]

    def go(self, url):
        self.call("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.call("POST", "/execute/sync", {"script": script,
            "args": list(args)})

    def find(self, css):
        return self.call("POST", "/element", {"using": "css selector",
            "value": css})[ELEM]

    def click(self, css):
        self.call("POST", "/element/%s/click" % self.find(css), {})

    def type(self, css, text):
        self.call("POST", "/element/%s/value" % self.find(css),
            {"text": text})

    def shot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.call("GET", "/screenshot")))

    def quit(self):
        try:
            self.call("DELETE", "")
        except Exception:
            pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def check(name, cond, detail=""):
    print("%s %s%s" % ("ok  " if cond else "FAIL", name,
        (": " + str(detail)) if detail and not cond else ""), flush=True)
    if not cond:
        raise SystemExit(1)


def main():
    url, token, shots, series, alert, tryid = sys.argv[1:7]
    os.makedirs(shots, exist_ok=True)
    exe = shutil.which("chromedriver")
    if exe is None or shutil.which("chromium") is None:
        print("SKIP: chromium or chromedriver missing (make deps)")
        raise SystemExit(77)
    port = free_port()
    drv = subprocess.Popen([exe, "--port=%d" % port],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    d = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/status" % port)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        d = Driver(port)

        # The matrix: 9 cells, each coloured by its verdict.
        d.go(url + "/index.html")
        cells = d.js("""return Array.from(document.querySelectorAll(
            'div.cell')).map(function (c) { return [c.dataset.verdict,
            getComputedStyle(c).backgroundColor]; });""")
        d.shot(os.path.join(shots, "01-index.png"))
        check("index has 9 cells", len(cells) == 9, cells)
        for v, want in COLOURS.items():
            got = [c for c in cells if c[0] == v]
            check("3 %s cells" % v, len(got) == 3, cells)
            check("%s cells coloured %s" % (v, want),
                all(c[1] == want for c in got), got)

        # The index's filter: one arch, one column of 3 cells.
        d.go(url + "/index.html")
        d.type("input[name=arch]", "arm64")
        d.click("form.filters button")
        time.sleep(0.5)
        n = d.js("return document.querySelectorAll('div.cell').length;")
        d.shot(os.path.join(shots, "02-index-arm64.png"))
        check("arch filter leaves 3 cells", n == 3, n)

        # The series page narrowed by dates: kernels 5 to 9 of 20.
        d.go(url + "/" + series)
        rows = d.js("return document.querySelectorAll("
            "'#kernels tr').length - 1;")
        check("series page shows 20 kernels", rows == 20, rows)
        d.type("input[name=from]", "2024-01-05")
        d.type("input[name=to]", "2024-01-09")
        d.click("form.filters button")
        time.sleep(0.5)
        rows = d.js("return document.querySelectorAll("
            "'#kernels tr').length - 1;")
        d.shot(os.path.join(shots, "03-series-range.png"))
        check("date filter narrows the series to 5 kernels", rows == 5,
            rows)

        # Hover: the mouse on the last point; the legend names it.
        d.go(url + "/" + series)
        time.sleep(0.5)
        g = d.js("""var d = document.querySelector('#graph canvas');
            return d ? 1 : 0;""")
        check("the graph is drawn (dygraphs)", g == 1)
        box = d.js("""var r = document.getElementById('graph')
            .getBoundingClientRect(); return [r.width, r.height];""")
        d.call("POST", "/actions", {"actions": [{"type": "pointer",
            "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "duration": 0,
                "origin": {ELEM: d.find("#graph")},
                "x": int(box[0] / 2) - 2, "y": 0},
                {"type": "pause", "duration": 300}]}]})
        legend = d.js("return document.getElementById('legend')"
            ".innerText;")
        d.shot(os.path.join(shots, "04-series-hover.png"))
        want = d.js("""var p = JSON.parse(document.getElementById(
            'series-data').textContent).points; var l = p[p.length - 1];
            return [l.kernel, Number(l.mean).toPrecision(6)];""")
        check("hover shows the last kernel and its mean",
            want[0] in legend and want[1] in legend, (legend, want))

        # The notes (kbench annotate) on the graph: at k10 and k15.
        d.go(url + "/" + series)
        time.sleep(0.5)
        notes = d.js("""return Array.from(document.querySelectorAll(
            '#graph .kb-note')).map(function (n) {
            return [n.innerText, n.title]; });""")
        d.shot(os.path.join(shots, "07-series-notes.png"))
        check("the graph shows its 2 notes", len(notes) == 2 and
            sorted(n[1] for n in notes) == ["new compiler <b>",
            "rack moved"], notes)

        # Triage: a wrong token is refused, the right one acknowledges.
        d.go(url + "/alert-%s.html" % alert)
        d.js("""document.querySelector('#do-acknowledged').form
            .querySelector('input[name=token]').value = arguments[0];""",
            "wrong-" + token)
        d.click("#do-acknowledged")
        time.sleep(0.5)
        body = d.js("return document.body.innerText;")
        d.shot(os.path.join(shots, "05-triage-refused.png"))
        check("triage without the token is refused",
            "valid token is needed" in body, body[:200])
        d.go(url + "/alert-%s.html" % alert)
        d.js("""document.querySelector('#do-acknowledged').form
            .querySelector('input[name=token]').value = arguments[0];""",
            token)
        d.click("#do-acknowledged")
        time.sleep(0.5)
        state = d.js("""var t = document.querySelector('#alert');
            return t ? t.rows[0].cells[1].innerText : '';""")
        d.shot(os.path.join(shots, "06-triage-done.png"))
        check("triage with the token sets acknowledged",
            state == "acknowledged", state)

        # A finished try: its verdicts and its boots in order.
        d.go(url + "/try-%s.html" % tryid)
        v = d.js("""var t = document.getElementById('verdicts');
            if (!t) return null; return Array.from(t.rows).slice(1)
            .map(function (r) { return [r.cells[0].innerText,
            r.cells[4].innerText,
            getComputedStyle(r.cells[4]).color]; });""")
        boots = d.js("""var t = document.getElementById('boots');
            return t ? Array.from(t.rows).slice(1).map(function (r) {
            return r.cells[3].innerText; }) : null;""")
        d.shot(os.path.join(shots, "08-try.png"))
        check("the try page has a verdict table", bool(v), v)
        real = [r for r in v if r[0] == "real"]
        check("real is a regression, coloured so",
            real and real[0][1] == "regression" and
            real[0][2] == "rgb(166, 27, 27)", v)
        check("its boots in order", boots == ["try-base", "try-patched",
            "try-base", "try-patched"], boots)
    finally:
        if d is not None:
            d.quit()
        drv.terminate()
        drv.wait()


if __name__ == "__main__":
    main()
