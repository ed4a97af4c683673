#!/bin/sh
# kbench compare against Debian's ministat(1): the same numbers on many
# random pairs of data sets at every confidence level, the plot where the
# medians agree, and the motivating riscv64 data set flagged as a
# regression (exit 3 with --fail-on-regression, valid JSON).
#
# Allowed differences, each checked against an independent oracle:
#  - Median of an even count: kbench prints the mean of the two middle
#    values (current ministat), Debian's build the upper one.
#  - Stddev and the Difference block where ministat's one-pass variance
#    (syy - sy*sy/n) cancels (large offsets, constant sets; Debian's
#    build then prints -nan): kbench must print what exact rational
#    arithmetic gives.  Everywhere else the text must be ministat's.
# PAIRS (default 200) sets how many random pairs; SEED the generator.
. "$(dirname "$0")/../lib.sh"

MINISTAT=${MINISTAT:-/usr/bin/ministat}
[ -x "$MINISTAT" ] || fail "ministat not installed ($MINISTAT)"
command -v python3 >/dev/null || fail "python3 not installed"

# --- 1. differential test ---------------------------------------------
cat >"$T/diff.py" <<'EOF'
import os, random, subprocess, sys
from fractions import Fraction
from math import sqrt

kbench, ministat, tdir = sys.argv[1], sys.argv[2], sys.argv[3]
pairs = int(os.environ.get("PAIRS", "200"))
STRICT = os.environ.get("STRICT", "0") != "0"
rng = random.Random(int(os.environ.get("SEED", "20150715")))
CONFS = ["80", "90", "95", "98", "99", "99.5"]

# ministat's Student's t table, as an oracle for the exact Difference
# block only (row 0 is its df > 100 row).
TAB = {}
exec(open(os.path.join(tdir, "table.py")).read(), TAB)
STUDENT = TAB["STUDENT"]

def fmt_vals(vals, dec):
    return "".join("%.*f\n" % (dec, v) for v in vals)

def gen_set(kind, n, dec):
    if kind == "normal":
        mu = rng.choice([0.5, 3, 42, 160, 990, 1850, 12345])
        cv = rng.choice([0.001, 0.01, 0.05, 0.2])
        return [abs(rng.gauss(mu, mu * cv)) + 10 ** -dec for _ in range(n)]
    if kind == "ties":
        lo = rng.randint(1, 50)
        return [float(rng.randint(lo, lo + rng.randint(1, 6)))
                for _ in range(n)]
    if kind == "offset":
        base = rng.choice([1e6, 123456.0, 5e5])
        w = rng.choice([0.01, 1, 50])
        return [base + rng.uniform(-w, w) for _ in range(n)]
    if kind == "const":
        v = rng.choice([0.1, 1.5, 7, 300.25])
        return [v] * n
    raise ValueError(kind)

def parse_vals(text):
    return [Fraction(l) for l in text.split()]

def exact_var(vals):
    n = len(vals)
    m = sum(vals) / n
    return sum((x - m) ** 2 for x in vals) / (n - 1)

def mean_float(vals):
    # ministat: sy accumulated in input order in doubles, then / n.
    s = 0.0
    for v in vals:
        s += float(v)
    return s / len(vals)

def exact_stddev_text(vals):
    return " %13.8g" % sqrt(float(exact_var(vals)))

def exact_relative(a, b, conf):
    """ministat's Relative() with exact variances."""
    na, nb = len(a), len(b)
    ci = CONFS.index(conf)
    df = na + nb - 2
    t = STUDENT[0][ci] if df > 100 else STUDENT[df][ci]
    spool = ((nb - 1) * exact_var(b) + (na - 1) * exact_var(a)) / df
    spool = sqrt(float(spool))
    s = spool * sqrt(1.0 / nb + 1.0 / na)
    ma, mb = mean_float(a), mean_float(b)
    d = mb - ma
    e = t * s
    if abs(d) > e:
        return ["Difference at %.1f%% confidence" % float(conf),
                "\t%g +/- %g" % (d, e),
                "\t%g%% +/- %g%%" % (d * 100 / ma, e * 100 / ma),
                "\t(Student's t, pooled s = %g)" % spool]
    return ["No difference proven at %.1f%% confidence" % float(conf)]

def vitals_and_rel(out):
    """The two vitals lines and the Difference block."""
    lines = out.split("\n")
    i = next(k for k, l in enumerate(lines) if l.startswith("    N "))
    vit = lines[i + 1:i + 3]
    rel = []
    for l in lines[i + 3:]:
        if l == "" or l.startswith("p(") or l.startswith("verdict"):
            break
        rel.append(l)
    return vit, rel

def plot_of(out):
    lines = out.split("\n")
    i = next(k for k, l in enumerate(lines) if l.startswith("    N "))
    j = next(k for k, l in enumerate(lines) if l.startswith("+ "))
    return lines[j + 1:i]

def fields(line):
    # "%c %3d %13.8g x5": fixed columns
    return [line[0:5]] + [line[5 + 14 * k:5 + 14 * (k + 1)]
                          for k in range(5)]

stats = {"cases": 0, "runs": 0, "exact_text": 0, "median_even": 0,
         "stddev_oracle": 0, "rel_oracle": 0, "plots": 0}
failures = []
kinds = ["normal"] * 5 + ["ties"] * 2 + ["offset"] * 2 + ["const"]
for p in range(pairs):
    kind = rng.choice(kinds)
    na, nb = rng.randint(3, 30), rng.randint(3, 30)
    dec = 0 if kind == "ties" else rng.choice([2, 3, 6])
    a = gen_set(kind, na, dec)
    r = rng.random()
    if r < 0.15:
        b = list(a)            # identical
        rng.shuffle(b)
        nb = na
    elif r < 0.5:
        shift = rng.choice([1.0, 1.001, 1.01, 1.05, 1.2, 0.9])
        b = [v * shift for v in gen_set(kind, nb, dec)] \
            if kind != "const" else [a[0] * shift] * nb
    else:
        b = gen_set(kind, nb, dec)
    fa, fb = os.path.join(tdir, "a%d.txt" % p), os.path.join(tdir, "b%d.txt" % p)
    ta, tb = fmt_vals(a, dec), fmt_vals(b, dec)
    open(fa, "w").write(ta)
    open(fb, "w").write(tb)
    va, vb = parse_vals(ta), parse_vals(tb)
    stats["cases"] += 1
    for conf in CONFS:
        stats["runs"] += 1
        k = subprocess.run([kbench, "compare", "-c", conf, "--metric",
                            "real", "--plot", fa, fb],
                           capture_output=True, text=True)
        m = subprocess.run([ministat, "-c", conf, fa, fb],
                           capture_output=True, text=True)
        tag = "pair %d (%s, n=%d/%d) -c %s" % (p, kind, na, nb, conf)
        if k.returncode != 0 or m.returncode != 0:
            failures.append("%s: exit kbench %d ministat %d: %s%s" % (
                tag, k.returncode, m.returncode, k.stderr, m.stderr))
            continue
        kv, kr = vitals_and_rel(k.stdout)
        mv, mr = vitals_and_rel(m.stdout)
        if kv == mv and kr == mr:
            stats["exact_text"] += 1
        ok = True
        for side, vals, kl, ml in (("x", va, kv[0], mv[0]),
                                    ("+", vb, kv[1], mv[1])):
            kf, mf = fields(kl), fields(ml)
            # N, Min, Max, Avg: always the same text.
            for idx, name in ((0, "N"), (1, "Min"), (2, "Max"), (4, "Avg")):
                if kf[idx] != mf[idx]:
                    failures.append("%s: %s %s: kbench '%s' ministat '%s'"
                                    % (tag, side, name, kf[idx], mf[idx]))
                    ok = False
            # Median: the same, but for an even count, the mean of the
            # two middle values.
            sv = sorted(vals)
            n = len(sv)
            if n % 2 == 1:
                want = [mf[3]]
            else:
                stats["median_even"] += 1
                want = [mf[3], " %13.8g" %
                        ((float(sv[n // 2 - 1]) + float(sv[n // 2])) / 2)]
            if kf[3] not in want:
                failures.append("%s: %s Median: kbench '%s' want %s"
                                % (tag, side, kf[3], want))
                ok = False
            # Stddev: ministat's text or the exact one.
            if kf[5] != mf[5]:
                ex = exact_stddev_text(vals)
                if kf[5] == ex and not STRICT:
                    stats["stddev_oracle"] += 1
                    key = "stddev_oracle_" + kind
                    stats[key] = stats.get(key, 0) + 1
                else:
                    failures.append("%s: %s Stddev: kbench '%s' ministat "
                                    "'%s' exact '%s'" % (tag, side, kf[5],
                                                         mf[5], ex))
                    ok = False
        if kr != mr:
            ex = exact_relative(va, vb, conf)
            if kr == ex and not STRICT:
                stats["rel_oracle"] += 1
                key = "rel_oracle_" + kind
                stats[key] = stats.get(key, 0) + 1
            else:
                failures.append("%s: Difference block:\nkbench   %r\n"
                                "ministat %r\nexact    %r" % (tag, kr, mr, ex))
                ok = False
        # The plot, where the medians agree and ministat's variance is
        # right to its 8 digits (its bars depend on the stddev).
        if ok and na % 2 == 1 and nb % 2 == 1 and kv == mv:
            stats["plots"] += 1
            if plot_of(k.stdout) != plot_of(m.stdout):
                failures.append("%s: plot differs:\n%s\n---\n%s" % (
                    tag, "\n".join(plot_of(k.stdout)),
                    "\n".join(plot_of(m.stdout))))
print(" ".join("%s=%d" % kv for kv in sorted(stats.items())))
for f in failures[:20]:
    print("MISMATCH", f)
print("mismatches=%d" % len(failures))
sys.exit(1 if failures else 0)
EOF

# ministat's table (an oracle for the exact Difference block only).
mkdir -p "$T/sets"
cat >"$T/sets/table.py" <<'EOF'
STUDENT = [
 [1.282, 1.645, 1.960, 2.326, 2.576, 3.090],
 [3.078, 6.314, 12.706, 31.821, 63.657, 318.313],
 [1.886, 2.920, 4.303, 6.965, 9.925, 22.327],
 [1.638, 2.353, 3.182, 4.541, 5.841, 10.215],
 [1.533, 2.132, 2.776, 3.747, 4.604, 7.173],
 [1.476, 2.015, 2.571, 3.365, 4.032, 5.893],
 [1.440, 1.943, 2.447, 3.143, 3.707, 5.208],
 [1.415, 1.895, 2.365, 2.998, 3.499, 4.782],
 [1.397, 1.860, 2.306, 2.896, 3.355, 4.499],
 [1.383, 1.833, 2.262, 2.821, 3.250, 4.296],
 [1.372, 1.812, 2.228, 2.764, 3.169, 4.143],
 [1.363, 1.796, 2.201, 2.718, 3.106, 4.024],
 [1.356, 1.782, 2.179, 2.681, 3.055, 3.929],
 [1.350, 1.771, 2.160, 2.650, 3.012, 3.852],
 [1.345, 1.761, 2.145, 2.624, 2.977, 3.787],
 [1.341, 1.753, 2.131, 2.602, 2.947, 3.733],
 [1.337, 1.746, 2.120, 2.583, 2.921, 3.686],
 [1.333, 1.740, 2.110, 2.567, 2.898, 3.646],
 [1.330, 1.734, 2.101, 2.552, 2.878, 3.610],
 [1.328, 1.729, 2.093, 2.539, 2.861, 3.579],
 [1.325, 1.725, 2.086, 2.528, 2.845, 3.552],
 [1.323, 1.721, 2.080, 2.518, 2.831, 3.527],
 [1.321, 1.717, 2.074, 2.508, 2.819, 3.505],
 [1.319, 1.714, 2.069, 2.500, 2.807, 3.485],
 [1.318, 1.711, 2.064, 2.492, 2.797, 3.467],
 [1.316, 1.708, 2.060, 2.485, 2.787, 3.450],
 [1.315, 1.706, 2.056, 2.479, 2.779, 3.435],
 [1.314, 1.703, 2.052, 2.473, 2.771, 3.421],
 [1.313, 1.701, 2.048, 2.467, 2.763, 3.408],
 [1.311, 1.699, 2.045, 2.462, 2.756, 3.396],
 [1.310, 1.697, 2.042, 2.457, 2.750, 3.385],
 [1.309, 1.696, 2.040, 2.453, 2.744, 3.375],
 [1.309, 1.694, 2.037, 2.449, 2.738, 3.365],
 [1.308, 1.692, 2.035, 2.445, 2.733, 3.356],
 [1.307, 1.691, 2.032, 2.441, 2.728, 3.348],
 [1.306, 1.690, 2.030, 2.438, 2.724, 3.340],
 [1.306, 1.688, 2.028, 2.434, 2.719, 3.333],
 [1.305, 1.687, 2.026, 2.431, 2.715, 3.326],
 [1.304, 1.686, 2.024, 2.429, 2.712, 3.319],
 [1.304, 1.685, 2.023, 2.426, 2.708, 3.313],
 [1.303, 1.684, 2.021, 2.423, 2.704, 3.307],
 [1.303, 1.683, 2.020, 2.421, 2.701, 3.301],
 [1.302, 1.682, 2.018, 2.418, 2.698, 3.296],
 [1.302, 1.681, 2.017, 2.416, 2.695, 3.291],
 [1.301, 1.680, 2.015, 2.414, 2.692, 3.286],
 [1.301, 1.679, 2.014, 2.412, 2.690, 3.281],
 [1.300, 1.679, 2.013, 2.410, 2.687, 3.277],
 [1.300, 1.678, 2.012, 2.408, 2.685, 3.273],
 [1.299, 1.677, 2.011, 2.407, 2.682, 3.269],
 [1.299, 1.677, 2.010, 2.405, 2.680, 3.265],
 [1.299, 1.676, 2.009, 2.403, 2.678, 3.261],
 [1.298, 1.675, 2.008, 2.402, 2.676, 3.258],
 [1.298, 1.675, 2.007, 2.400, 2.674, 3.255],
 [1.298, 1.674, 2.006, 2.399, 2.672, 3.251],
 [1.297, 1.674, 2.005, 2.397, 2.670, 3.248],
 [1.297, 1.673, 2.004, 2.396, 2.668, 3.245],
 [1.297, 1.673, 2.003, 2.395, 2.667, 3.242],
 [1.297, 1.672, 2.002, 2.394, 2.665, 3.239],
 [1.296, 1.672, 2.002, 2.392, 2.663, 3.237],
 [1.296, 1.671, 2.001, 2.391, 2.662, 3.234],
 [1.296, 1.671, 2.000, 2.390, 2.660, 3.232],
 [1.296, 1.670, 2.000, 2.389, 2.659, 3.229],
 [1.295, 1.670, 1.999, 2.388, 2.657, 3.227],
 [1.295, 1.669, 1.998, 2.387, 2.656, 3.225],
 [1.295, 1.669, 1.998, 2.386, 2.655, 3.223],
 [1.295, 1.669, 1.997, 2.385, 2.654, 3.220],
 [1.295, 1.668, 1.997, 2.384, 2.652, 3.218],
 [1.294, 1.668, 1.996, 2.383, 2.651, 3.216],
 [1.294, 1.668, 1.995, 2.382, 2.650, 3.214],
 [1.294, 1.667, 1.995, 2.382, 2.649, 3.213],
 [1.294, 1.667, 1.994, 2.381, 2.648, 3.211],
 [1.294, 1.667, 1.994, 2.380, 2.647, 3.209],
 [1.293, 1.666, 1.993, 2.379, 2.646, 3.207],
 [1.293, 1.666, 1.993, 2.379, 2.645, 3.206],
 [1.293, 1.666, 1.993, 2.378, 2.644, 3.204],
 [1.293, 1.665, 1.992, 2.377, 2.643, 3.202],
 [1.293, 1.665, 1.992, 2.376, 2.642, 3.201],
 [1.293, 1.665, 1.991, 2.376, 2.641, 3.199],
 [1.292, 1.665, 1.991, 2.375, 2.640, 3.198],
 [1.292, 1.664, 1.990, 2.374, 2.640, 3.197],
 [1.292, 1.664, 1.990, 2.374, 2.639, 3.195],
 [1.292, 1.664, 1.990, 2.373, 2.638, 3.194],
 [1.292, 1.664, 1.989, 2.373, 2.637, 3.193],
 [1.292, 1.663, 1.989, 2.372, 2.636, 3.191],
 [1.292, 1.663, 1.989, 2.372, 2.636, 3.190],
 [1.292, 1.663, 1.988, 2.371, 2.635, 3.189],
 [1.291, 1.663, 1.988, 2.370, 2.634, 3.188],
 [1.291, 1.663, 1.988, 2.370, 2.634, 3.187],
 [1.291, 1.662, 1.987, 2.369, 2.633, 3.185],
 [1.291, 1.662, 1.987, 2.369, 2.632, 3.184],
 [1.291, 1.662, 1.987, 2.368, 2.632, 3.183],
 [1.291, 1.662, 1.986, 2.368, 2.631, 3.182],
 [1.291, 1.662, 1.986, 2.368, 2.630, 3.181],
 [1.291, 1.661, 1.986, 2.367, 2.630, 3.180],
 [1.291, 1.661, 1.986, 2.367, 2.629, 3.179],
 [1.291, 1.661, 1.985, 2.366, 2.629, 3.178],
 [1.290, 1.661, 1.985, 2.366, 2.628, 3.177],
 [1.290, 1.661, 1.985, 2.365, 2.627, 3.176],
 [1.290, 1.661, 1.984, 2.365, 2.627, 3.175],
 [1.290, 1.660, 1.984, 2.365, 2.626, 3.175],
 [1.290, 1.660, 1.984, 2.364, 2.626, 3.174],
]
EOF
python3 "$T/diff.py" "$KBENCH" "$MINISTAT" "$T/sets" ||
    fail "kbench compare and ministat disagree (see above)"

# --- 2. the motivating data set -----------------------------------------
BASE=$DATA/riscv64-libc-base.txt
CAND=$DATA/riscv64-libc-canpersist.txt
if [ ! -f "$BASE" ] || [ ! -f "$CAND" ]; then
	BASE=$T/base.txt
	CAND=$T/cand.txt
	for v in "990.87 1295.92 1850.66" "995.12 1297.2 1858.02" \
	    "993.34 1296.99 1854.2" "993.34 1298.11 1855.45"; do
		set -- $v
		printf '      %s real      %s user      %s sys\n' "$1" "$2" "$3"
	done >"$BASE"
	for v in "1151.87 1297.63 2199.74" "1157.42 1301.05 2212.38" \
	    "1153.2 1299.1 2207.0" "1154.2 1299.01 2207.51"; do
		set -- $v
		printf '      %s real      %s user      %s sys\n' "$1" "$2" "$3"
	done >"$CAND"
fi
expect_status 0 "$KBENCH" compare "$BASE" "$CAND"
contains "$OUT" "real (seconds)"
contains "$OUT" "sys (seconds)"
contains "$OUT" "Difference at 95.0% confidence"
echo "$OUT" | grep -q '^  real  *regression ' || fail "real not a regression:
$OUT"
echo "$OUT" | grep -q '^  sys  *regression ' || fail "sys not a regression:
$OUT"
expect_status 3 "$KBENCH" compare --fail-on-regression "$BASE" "$CAND"
expect_status 0 "$KBENCH" compare --fail-on-regression --metric user \
    "$BASE" "$CAND"
lacks "$OUT" "regression"

# The same as JSON, with a label that needs escaping.
Q="$T/we\"ird\\na	me.txt"
cp "$CAND" "$Q"
"$KBENCH" compare --format json -c 99 --threshold 2 "$BASE" "$Q" \
    >"$T/out.json" || fail "compare --format json failed"
python3 -m json.tool "$T/out.json" >/dev/null || fail "invalid JSON:
$(cat "$T/out.json")"
python3 - "$T/out.json" "$Q" <<'EOF' || fail "JSON content: $(cat "$T/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["confidence"] == 99 and d["threshold"] == 2, d
assert d["labels"]["b"] == sys.argv[2], d["labels"]
m = {x["metric"]: x for x in d["metrics"]}
assert list(m)[:3] == ["real", "user", "sys"], list(m)
for x in m.values():
    for k in ("a", "b", "diff", "diff_ci", "diff_pct", "diff_pct_ci",
              "p_student", "p_welch", "p_mwu", "verdict", "more_runs"):
        assert k in x, (k, x)
    for k in ("n", "min", "max", "median", "mean", "stddev"):
        assert k in x["a"] and k in x["b"], k
assert m["real"]["verdict"] == "regression", m["real"]
assert m["sys"]["verdict"] == "regression", m["sys"]
assert 10 < m["real"]["diff_pct"] < 25, m["real"]
assert m["real"]["a"]["n"] == 4 and 900 < m["real"]["a"]["mean"] < 1100
assert m["real"]["p_student"] < 0.001 and m["real"]["p_welch"] < 0.001
EOF

# --- 3. usage and errors --------------------------------------------------
expect_status 2 "$KBENCH" compare -c 97 "$BASE" "$CAND"
contains "$OUT" "confidence"
expect_status 2 "$KBENCH" compare "$BASE"
expect_status 2 "$KBENCH" compare --format xml "$BASE" "$CAND"
expect_status 2 "$KBENCH" compare --metric bogus "$BASE" "$CAND"
expect_status 2 "$KBENCH" compare --threshold -1 "$BASE" "$CAND"
expect_status 2 "$KBENCH" compare --worker w "$BASE" "$CAND"
expect_status 2 "$KBENCH" compare - -
expect_status 1 "$KBENCH" compare "$T/nonexistent" "$CAND"
printf '1\n2\n3\n' >"$T/plain.txt"
expect_status 1 "$KBENCH" compare --metric sys "$T/plain.txt" "$CAND"
contains "$OUT" "no sys values"
# stdin once, plain numbers against a time(1) log: only real is common.
OUT=$(printf '990\n991\n992\n' | "$KBENCH" compare - "$BASE") ||
    fail "compare - FILE failed"
contains "$OUT" "x <stdin>"
lacks "$OUT" "user (seconds)"
# One value a side: insufficient, not an error.
printf '5\n' >"$T/one.txt"
expect_status 0 "$KBENCH" compare "$T/one.txt" "$T/plain.txt"
contains "$OUT" "insufficient"

# --- 4. from the store ------------------------------------------------------
"$KBENCH" -q import --kernel base --worker rv1 --workload libc "$BASE" \
    >/dev/null || fail "import base failed"
"$KBENCH" -q import --kernel cp --worker rv1 --workload libc "$CAND" \
    >/dev/null || fail "import candidate failed"
expect_status 3 "$KBENCH" compare --fail-on-regression --worker rv1 \
    --workload libc base cp
contains "$OUT" "x base"
echo "$OUT" | grep -q '^  sys  *regression ' || fail "sys not a regression:
$OUT"
expect_status 1 "$KBENCH" compare --worker rv1 --workload libc base nosuch
contains "$OUT" "no samples for kernel nosuch on worker rv1, workload libc"
