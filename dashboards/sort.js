// sort.js: a table of class "sortable" sorts by a column when its
// heading is clicked, again for the other direction.  Cells with a
// data-v attribute sort by that number, others by their text.
"use strict";
document.querySelectorAll("table.sortable").forEach(function (t) {
	t.querySelectorAll("th").forEach(function (th, col) {
		th.addEventListener("click", function () {
			var body = t.tBodies[0], rows = Array.from(body.rows);
			var dir = th.dataset.dir === "1" ? -1 : 1;
			th.dataset.dir = dir === 1 ? "1" : "-1";
			function key(r) {
				var c = r.cells[col];
				return c.dataset.v !== undefined ?
				    (c.dataset.v === "" ? -Infinity :
				    parseFloat(c.dataset.v)) : c.textContent;
			}
			rows.sort(function (a, b) {
				var x = key(a), y = key(b);
				return (x < y ? -1 : x > y ? 1 : 0) * dir;
			});
			rows.forEach(function (r) { body.appendChild(r); });
		});
	});
});
