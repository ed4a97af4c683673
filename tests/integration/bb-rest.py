# bb-rest.py: the Buildbot REST calls the Buildbot tests make, with
# Debian's /usr/bin/python3 and no buildbot import.
#   bb-rest.py WWW last | anon-force | get PATH [USER PW] | bad-login USER
#   bb-rest.py WWW force USER PW BUILDER JSON-PROPERTIES [SECONDS]
import base64, http.cookiejar, json, sys, time, urllib.error, urllib.request

www, cmd = sys.argv[1], sys.argv[2]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

def get(path):
    with op.open(www + path, timeout=30) as r:
        return json.load(r)

def login(user, pw):
    req = urllib.request.Request(www + "auth/login")
    tok = base64.b64encode(f"{user}:{pw}".encode()).decode()
    req.add_header("Authorization", "Basic " + tok)
    try:
        with op.open(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code

def force(params):
    body = json.dumps({"jsonrpc": "2.0", "method": "force", "id": 1,
                       "params": params}).encode()
    req = urllib.request.Request(www + "api/v2/forceschedulers/force",
                                 data=body, method="POST")
    req.add_header("Content-Type", "application/json")
    try:
        with op.open(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")

def wait_build(bsid, secs=240):
    end = time.time() + secs
    while time.time() < end:
        brs = get(f"api/v2/buildrequests?buildsetid={bsid}")["buildrequests"]
        if brs and all(b["complete"] for b in brs):
            builds = get(f"api/v2/builds?buildrequestid={brs[0]['buildrequestid']}"
                         "&property=*")["builds"]
            return builds[-1]
        time.sleep(0.5)
    raise SystemExit(f"buildset {bsid}: not finished in {secs}s")

def props(b):
    return {k: v[0] for k, v in b.get("properties", {}).items()}

if cmd == "last":		# the newest build, as JSON
    b = get("api/v2/builds?order=-buildid&limit=1&property=*")["builds"][0]
    print(json.dumps({"results": b["results"], "props": props(b),
                      "state": b["state_string"]}))
elif cmd == "anon-force":	# HTTP status of a force without a login
    print(force({"builderNames": ["local"], "n": 2})[0])
elif cmd == "get":		# HTTP status of a GET, optionally logged in
    if len(sys.argv) > 4:
        assert login(sys.argv[4], sys.argv[5]) == 200
    try:
        with op.open(www + sys.argv[3], timeout=30) as r:
            print(r.status)
    except urllib.error.HTTPError as e:
        print(e.code)
elif cmd == "bad-login":
    print(login(sys.argv[3], "wrong-password"))
elif cmd == "force":		# user pw  builder  JSON-properties
    st = login(sys.argv[3], sys.argv[4])
    assert st == 200, f"login: {st}"
    params = {"builderNames": [sys.argv[5]]}
    params.update(json.loads(sys.argv[6]))
    st, res = force(params)
    assert st == 200 and "result" in res, f"force: {st} {res}"
    bsid = res["result"][0]
    b = wait_build(bsid, int(sys.argv[7]) if len(sys.argv) > 7 else 240)
    print(json.dumps({"results": b["results"], "props": props(b),
                      "state": b["state_string"]}))
