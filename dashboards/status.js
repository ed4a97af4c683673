// status.js: keeps the status page's running runs current by polling
// /api/status (kbench serve).  No libraries; the page works without it
// (a reload shows the same figures).
"use strict";
(function () {
	function dur(s) {
		if (s === null || s < 0) return "\u2013";
		s = Math.round(s);
		if (s < 60) return s + "s";
		if (s < 3600) return Math.floor(s / 60) + "m" +
		    String(s % 60).padStart(2, "0") + "s";
		return Math.floor(s / 3600) + "h" +
		    String(Math.floor(s / 60) % 60).padStart(2, "0") + "m";
	}
	function poll() {
		fetch("api/status", { cache: "no-store" }).then(function (r) {
			return r.json();
		}).then(function (st) {
			var rows = document.querySelectorAll("#running tr[data-run]");
			var seen = {}, i, run, tr;
			for (i = 0; i < st.running.length; i++)
				seen[st.running[i].id] = st.running[i];
			if (rows.length !== st.running.length) {
				location.reload();
				return;
			}
			for (i = 0; i < rows.length; i++) {
				tr = rows[i];
				run = seen[tr.getAttribute("data-run")];
				if (!run) {
					location.reload();
					return;
				}
				tr.querySelector(".rep").textContent =
				    run.done + "/" + run.n_planned;
				tr.querySelector("progress").value = run.done;
				tr.querySelector(".elapsed").textContent =
				    dur(run.elapsed_s);
				tr.querySelector(".eta").textContent =
				    dur(run.eta_s);
				if (run.mean_s !== null)
					tr.querySelector(".mean").textContent =
					    run.mean_s.toPrecision(6);
			}
		}).catch(function () { /* the server is away: try again */ });
	}
	setInterval(poll, 1000);
})();
