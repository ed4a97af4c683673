// series.js: the series page's graph (dygraphs, from Debian's
// libjs-dygraphs, served by kbench serve).  Reads the points from the
// page's #series-data block: drag to zoom, hover for a kernel and its
// mean, click two points to open their comparison (the compare form,
// filled and sent); the notes (kbench annotate) marked on their points.
"use strict";
(function () {
	var el = document.getElementById("graph");
	var src = document.getElementById("series-data");
	if (!el || !src || typeof Dygraph === "undefined")
		return;
	var d = JSON.parse(src.textContent);
	var pts = d.points;
	var rows = pts.map(function (p, i) {
		return [i, [p.min, p.mean, p.max]];
	});
	function kernel(i) {
		return pts[i] ? pts[i].kernel : "";
	}
	function esc(t) {
		var e = document.createElement("span");
		e.textContent = t;
		return e.innerHTML;
	}
	// The legend without the style attributes of dygraphs' own, which
	// the Content-Security-Policy (style-src 'self') would refuse.
	function legend(data) {
		if (data.x === null || data.x === undefined)
			return esc(d.metric + " mean (" + d.unit + ")");
		return "<b>" + esc(kernel(data.x)) + "</b>: " +
		    data.series.map(function (s) {
			return s.labelHTML + ": " + s.yHTML;
		}).join(", ");
	}
	var picked = [];
	var label = d.metric + " mean (" + d.unit + ")";
	var g = new Dygraph(el, rows, {
		labels: ["kernel", label],
		customBars: true,
		drawPoints: true,
		pointSize: 3,
		highlightCircleSize: 6,
		legend: "always",
		legendFormatter: legend,
		labelsDiv: document.getElementById("legend"),
		xlabel: "kernel",
		ylabel: d.metric + " (" + d.unit + ")",
		axes: {
			x: {
				valueFormatter: function (i) {
					return kernel(i);
				},
				axisLabelFormatter: function (i) {
					return i === Math.round(i) ? kernel(i) : "";
				}
			},
			y: {
				valueFormatter: function (v) {
					return Number(v).toPrecision(6);
				}
			}
		},
		pointClickCallback: function (e, p) {
			var a = document.getElementById("pick-a");
			var b = document.getElementById("pick-b");
			if (!a || !b || !pts[p.xval])
				return;
			picked.push(String(pts[p.xval].id));
			if (picked.length > 2)
				picked.shift();
			a.value = picked[0];
			if (picked.length > 1 && picked[0] !== picked[1]) {
				b.value = picked[1];
				a.form.submit();
			}
		}
	});
	g.ready(function () {
		g.setAnnotations((d.notes || []).map(function (n) {
			return { series: label, x: n.x, shortText: "N" + n.id,
			    text: n.text, cssClass: "kb-note" };
		}));
	});
})();
