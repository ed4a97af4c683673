"""libconf.py: a small reader for libconfig files (kbench.conf, workload
files, the Buildbot master's buildbot.conf).

It reads what kbench's files use: settings `name = value;` or
`name: value;`, groups `{ }` (dict), lists `( )` and arrays `[ ]`
(list), strings (adjacent ones joined, C escapes), integers (decimal,
hex, an L/LL suffix), floats, booleans, comments (#, //, /* */) and
`@include "file"` relative to the including file.  It does not check
kbench's keys: kbench does that when it runs.  Plain Python, no
dependencies, so that the master and scripts can use it.
"""

import os
import re

__all__ = ["ConfError", "load", "loads"]


class ConfError(Exception):
    pass


_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/)
  | (?P<include>@include[ \t]+"(?:[^"\\]|\\.)*")
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<float>[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\d+[eE][-+]?\d+)
  | (?P<hex>0[xX][0-9A-Fa-f]+(?:LL|L)?)
  | (?P<int>[-+]?\d+(?:LL|L)?)
  | (?P<bool>(?i:true|false)\b)
  | (?P<name>[A-Za-z\*][-A-Za-z0-9_\*]*)
  | (?P<punct>[=:;,{}()\[\]])
""", re.X | re.S)

_ESC = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "\\": "\\", '"': '"',
        "a": "\a", "b": "\b", "v": "\v"}


def _unquote(s, where):
    out = []
    i = 1
    while i < len(s) - 1:
        c = s[i]
        if c == "\\":
            n = s[i + 1]
            if n in _ESC:
                out.append(_ESC[n])
                i += 2
            elif n == "x":
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
            else:
                raise ConfError(f"{where}: bad escape \\{n}")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _tokens(text, path, depth):
    pos = 0
    line = 1
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ConfError(f"{path}:{line}: syntax error near "
                            f"{text[pos:pos + 20]!r}")
        kind = m.lastgroup
        val = m.group()
        where = f"{path}:{line}"
        if kind == "include":
            inc = _unquote(val[val.index('"'):], where)
            if not os.path.isabs(inc):
                inc = os.path.join(os.path.dirname(path), inc)
            if depth > 10:
                raise ConfError(f"{where}: @include nested too deep")
            with open(inc, encoding="utf-8") as f:
                yield from _tokens(f.read(), inc, depth + 1)
        elif kind not in ("ws", "comment"):
            yield kind, val, where
        line += val.count("\n")
        pos = m.end()


class _Parser:
    def __init__(self, text, path):
        self.toks = list(_tokens(text, path, 0))
        self.i = 0
        self.path = path

    def peek(self):
        if self.i < len(self.toks):
            return self.toks[self.i]
        return ("eof", "", f"{self.path}: end of file")

    def take(self, kind=None, val=None):
        t = self.peek()
        if (kind and t[0] != kind) or (val and t[1] != val):
            want = val or kind
            raise ConfError(f"{t[2]}: syntax error: expected {want}, "
                            f"found {t[1] or 'end of file'!r}")
        self.i += 1
        return t

    def settings(self, end):
        d = {}
        while self.peek()[0] != "eof" and self.peek()[1] != end:
            _, name, where = self.take("name")
            if self.peek()[1] not in ("=", ":"):
                self.take(val="=")
            self.i += 1
            if name in d:
                raise ConfError(f"{where}: '{name}' set twice")
            d[name] = self.value()
            if self.peek()[1] in (";", ","):
                self.i += 1
        return d

    def value(self):
        kind, val, where = self.peek()
        if kind == "string":
            parts = []
            while self.peek()[0] == "string":
                parts.append(_unquote(self.take()[1], where))
            return "".join(parts)
        self.i += 1
        if kind == "int":
            return int(val.rstrip("L"))
        if kind == "hex":
            return int(val.rstrip("L"), 16)
        if kind == "float":
            return float(val)
        if kind == "bool":
            return val.lower() == "true"
        if val == "{":
            d = self.settings("}")
            self.take(val="}")
            return d
        if val in ("(", "["):
            close = ")" if val == "(" else "]"
            out = []
            while self.peek()[1] != close:
                out.append(self.value())
                if self.peek()[1] == ",":
                    self.i += 1
                elif self.peek()[1] != close:
                    self.take(val=close)
            self.take(val=close)
            return out
        raise ConfError(f"{where}: syntax error: unexpected {val!r}")


def loads(text, path="<string>"):
    p = _Parser(text, path)
    d = p.settings(None)
    if p.peek()[0] != "eof":
        raise ConfError(f"{p.peek()[2]}: syntax error: unexpected "
                        f"{p.peek()[1]!r}")
    return d


def load(path):
    with open(path, encoding="utf-8") as f:
        return loads(f.read(), path)
