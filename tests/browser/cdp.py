#!/usr/bin/env python3
"""cdp.py: check pages in real headless Chromium, without dependencies.

Starts chromium with --remote-debugging-port, speaks the DevTools
protocol over a minimal WebSocket client (Python's standard library
only), and for each URL: loads it, waits for the load event, collects
console messages and uncaught exceptions, checks that every <img> and
<svg> has a non-zero rendered size, saves a screenshot, and prints one
JSON line per page.  Exit status 1 if any page fails.

usage: cdp.py [--shots DIR] [--eval JS [--again SECS]] [--wait SECS] URL...
  --eval JS     also evaluate JS after load and print its value ("eval")
  --again SECS  evaluate it once more SECS later, page left as it is
                ("eval_again": what the page's own scripts made of it)
"""
import base64, json, os, shutil, socket, struct, subprocess, sys, tempfile
import time, urllib.request

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--window-size=1280,900"]


class WS:
    """Just enough of RFC 6455 for one local DevTools connection."""

    def __init__(self, url):
        assert url.startswith("ws://")
        hostport, path = url[5:].split("/", 1)
        host, port = hostport.split(":")
        self.s = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket"
            "\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n" % (path, hostport, key))
            .encode())
        resp = b""
        while b"\r\n\r\n" not in resp:
            resp += self.s.recv(4096)
        if b" 101 " not in resp.split(b"\r\n")[0]:
            raise RuntimeError("websocket handshake: %r" % resp[:200])
        self.buf = resp.split(b"\r\n\r\n", 1)[1]

    def send(self, obj):
        data = json.dumps(obj).encode()
        hdr = bytearray([0x81])
        n = len(data)
        if n < 126:
            hdr.append(0x80 | n)
        elif n < 65536:
            hdr.append(0x80 | 126)
            hdr += struct.pack(">H", n)
        else:
            hdr.append(0x80 | 127)
            hdr += struct.pack(">Q", n)
        mask = os.urandom(4)
        hdr += mask
        self.s.sendall(bytes(hdr) + bytes(b ^ mask[i % 4]
            for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("devtools connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        msg = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7f
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            op = b0 & 0x0f
            if op in (0, 1, 2):
                msg += payload
                if b0 & 0x80:
                    return json.loads(msg)
            # ping/pong/close frames are not expected here


class Page:
    def __init__(self, ws):
        self.ws, self.id, self.events = ws, 0, []

    def call(self, method, **params):
        # wait_event leaves a short timeout; a call may take long.
        self.ws.s.settimeout(30)
        self.id += 1
        self.ws.send({"id": self.id, "method": method, "params": params})
        while True:
            m = self.ws.recv()
            if m.get("id") == self.id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name, timeout):
        end = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == name:
                del self.events[i]
                return e
        self.ws.s.settimeout(max(0.1, end - time.time()))
        while time.time() < end:
            try:
                m = self.ws.recv()
            except socket.timeout:
                break
            self.events.append(m)
            if m.get("method") == name:
                return m
        return None


MEASURE = """(() => {
  const r = [];
  for (const e of document.querySelectorAll('img, svg')) {
    const b = e.getBoundingClientRect();
    r.push({tag: e.tagName.toLowerCase(), src: e.getAttribute('src'),
            w: Math.round(b.width), h: Math.round(b.height),
            natural: e.tagName === 'IMG' ? e.naturalWidth : null,
            complete: e.tagName === 'IMG' ? e.complete : true});
  }
  return JSON.stringify({title: document.title, graphics: r,
      h1: (document.querySelector('h1') || {}).textContent || ''});
})()"""


def main():
    args = sys.argv[1:]
    shots, extra, wait, again = None, None, 0.5, None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--shots":
            shots = args.pop(0)
        elif opt == "--eval":
            extra = args.pop(0)
        elif opt == "--again":
            again = float(args.pop(0))
        elif opt == "--wait":
            wait = float(args.pop(0))
        else:
            sys.exit("unknown option " + opt)
    if not args:
        sys.exit(__doc__)
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        sys.exit("cdp.py: chromium is not installed (make deps)")
    profile = tempfile.mkdtemp(prefix="kbench-chromium.")
    proc = subprocess.Popen([exe] + CHROMIUM_FLAGS + [
        "--user-data-dir=" + profile, "--remote-debugging-port=0",
        "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    failed = 0
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        else:
            sys.exit("cdp.py: chromium did not start")
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(
            "http://127.0.0.1:%s/json" % port))
        page_ws = [t for t in targets if t["type"] == "page"][0][
            "webSocketDebuggerUrl"]
        p = Page(WS(page_ws))
        p.call("Page.enable")
        p.call("Runtime.enable")
        p.call("Log.enable")
        for n, url in enumerate(args):
            p.events = []
            p.call("Page.navigate", url=url)
            loaded = p.wait_event("Page.loadEventFired", 20) is not None
            time.sleep(wait)
            p.wait_event("none", 0.2)
            res = json.loads(p.call("Runtime.evaluate", expression=MEASURE,
                returnByValue=True)["result"]["value"])
            errors = []
            for e in p.events:
                m, prm = e.get("method"), e.get("params", {})
                if m == "Runtime.consoleAPICalled" and prm.get("type") in (
                        "error", "assert"):
                    errors.append("console: " + " ".join(
                        str(a.get("value", a.get("description", "")))
                        for a in prm.get("args", [])))
                elif m == "Runtime.exceptionThrown":
                    errors.append("Uncaught: " + prm["exceptionDetails"]
                        .get("exception", {}).get("description", "?"))
                elif m == "Log.entryAdded" and prm["entry"]["level"] == "error":
                    errors.append("log: " + prm["entry"]["text"] + " " +
                        prm["entry"].get("url", ""))
            out = {"url": url, "loaded": loaded, "title": res["title"],
                "h1": res["h1"], "graphics": res["graphics"],
                "errors": errors}
            bad = [g for g in res["graphics"] if g["w"] == 0 or g["h"] == 0
                or (g["tag"] == "img" and not g["natural"])]
            out["ok"] = loaded and not errors and not bad
            if extra is not None:
                out["eval"] = p.call("Runtime.evaluate", expression=extra,
                    returnByValue=True)["result"].get("value")
                if again is not None:
                    time.sleep(again)
                    out["eval_again"] = p.call("Runtime.evaluate",
                        expression=extra, returnByValue=True)[
                        "result"].get("value")
            if shots:
                os.makedirs(shots, exist_ok=True)
                png = base64.b64decode(p.call("Page.captureScreenshot",
                    format="png")["data"])
                name = "%02d-%s.png" % (n, "".join(c if c.isalnum() or
                    c in "-." else "_" for c in url.split("/")[-1] or
                    "index")[:60])
                with open(os.path.join(shots, name), "wb") as f:
                    f.write(png)
                out["screenshot"] = os.path.join(shots, name)
                out["screenshot_bytes"] = len(png)
            if not out["ok"]:
                failed += 1
            print(json.dumps(out), flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
