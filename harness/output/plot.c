/*
 * plot.c: run gnuplot on a template from dashboards/ with the data in
 * a private temporary directory.  Nothing of the user's is ever put
 * into a gnuplot command but as a quoted string literal.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "lib/subsample.h"
#include "output/html.h"
#include "output/plot.h"

#define GNUPLOT_TIMEOUT	30	/* seconds; a plot takes well under one */
#define MAX_XTICS	40	/* labelled kernels on an axis */

int
plot_fmt_parse(const char *s, enum plot_fmt *f)
{
	if (strcmp(s, "svg") == 0)
		*f = PLOT_SVG;
	else if (strcmp(s, "png") == 0)
		*f = PLOT_PNG;
	else
		return -1;
	return 0;
}

const char *
plot_fmt_ext(enum plot_fmt f)
{
	return f == PLOT_PNG ? "png" : "svg";
}

struct gp {
	char	 dir[64];
	FILE	*params;
};

static int
gp_open(struct gp *g, enum plot_fmt f, const char *out, int w, int h)
{
	char *path;
	const char *tmp;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (snprintf(g->dir, sizeof(g->dir), "%s/kbench-plot.XXXXXX",
	    tmp) >= (int)sizeof(g->dir))
		snprintf(g->dir, sizeof(g->dir), "/tmp/kbench-plot.XXXXXX");
	if (mkdtemp(g->dir) == NULL) {
		kb_warn("mkdtemp");
		return -1;
	}
	path = kb_asprintf("%s/params.gp", g->dir);
	g->params = fopen(path, "w");
	free(path);
	if (g->params == NULL) {
		kb_warn("params.gp");
		return -1;
	}
	fprintf(g->params, "fmt = '%s'\nwidth = %d\nheight = %d\nout = ",
	    plot_fmt_ext(f), w, h);
	plot_gpstr(g->params, out);
	fputs("\ntermfile = ", g->params);
	path = kb_asprintf("%s/dashboards/term.gp", kb_root());
	plot_gpstr(g->params, path);
	free(path);
	fputc('\n', g->params);
	return 0;
}

/* A data file in the plot's directory; its name is set as var. */
static FILE *
gp_data(struct gp *g, const char *var, const char *name)
{
	char *path;
	FILE *fp;

	path = kb_asprintf("%s/%s", g->dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		kb_warn("%s", path);
	else {
		fprintf(g->params, "%s = ", var);
		plot_gpstr(g->params, path);
		fputc('\n', g->params);
	}
	free(path);
	return fp;
}

static void
gp_string(struct gp *g, const char *var, const char *val)
{
	fprintf(g->params, "%s = ", var);
	plot_gpstr(g->params, val);
	fputc('\n', g->params);
}

/*
 * "5,000 of 1,000,000 WHAT" for n points of which a plot draws a
 * subsample, appended to *acc after a comma; nothing when it draws
 * every point.
 */
static void
sub_phrase(char **acc, size_t n, const char *what)
{
	char shown[32], all[32], *t;

	if (n <= KB_PLOT_POINTS)
		return;
	kb_sub_commas(KB_PLOT_POINTS, shown);
	kb_sub_commas(n, all);
	t = kb_asprintf("%s%s%s of %s %s", *acc != NULL ? *acc : "",
	    *acc != NULL ? ", " : "", shown, all, what);
	free(*acc);
	*acc = t;
}

/* The note under the title of a plot that draws a subsample; frees phrase. */
static void
gp_note(struct gp *g, char *phrase, const char *rest)
{
	char *note;

	if (phrase == NULL)
		return;
	note = kb_asprintf("%s shown, evenly spread%s", phrase, rest);
	gp_string(g, "note", note);
	free(note);
	free(phrase);
}

static void
rm_dir(const char *dir)
{
	static const char *names[] = { "params.gp", "data.dat", "cp.dat",
	    "gnuplot.err" };
	char *p;
	size_t i;
	int k;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = kb_asprintf("%s/%s", dir, names[i]);
		unlink(p);
		free(p);
	}
	for (k = 0; k < 64; k++) {
		p = kb_asprintf("%s/pts%d.dat", dir, k);
		unlink(p);
		free(p);
		p = kb_asprintf("%s/sum%d.dat", dir, k);
		unlink(p);
		free(p);
		p = kb_asprintf("%s/s%d.dat", dir, k);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

/* Print gnuplot's complaint, a few lines of it. */
static void
show_err(const char *path)
{
	char line[512];
	FILE *fp;
	int n = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL && n++ < 8)
		kb_warnx("gnuplot: %s", strtok(line, "\n") ? line : "");
	fclose(fp);
}

/* Run gnuplot on template; the output must exist and not be empty. */
/* Copy line to fp with each "]]>" in it written as "]]&gt;". */
static void
put_fixed(FILE *fp, const char *line)
{
	const char *q;

	for (; (q = strstr(line, "]]>")) != NULL; line = q + 3) {
		fwrite(line, 1, (size_t)(q - line), fp);
		fputs("]]&gt;", fp);
	}
	fputs(line, fp);
}

/*
 * gnuplot writes text into an SVG as it is, but for < and &, so a
 * label holding "]]>" makes the file invalid XML.  Its own CDATA
 * sections end on a line of their own; every other "]]>" is text.
 */
static int
svg_fix(const char *path)
{
	char *line = NULL, *tmp;
	size_t cap = 0;
	FILE *in, *out;
	int rc = -1, fixed = 0;

	if ((in = fopen(path, "r")) == NULL)
		return -1;
	tmp = kb_asprintf("%s.fix", path);
	if ((out = fopen(tmp, "w")) == NULL)
		goto done;
	while (getline(&line, &cap, in) != -1) {
		if (strcmp(line, "]]>\n") != 0 && strstr(line, "]]>") != NULL) {
			put_fixed(out, line);
			fixed = 1;
		} else
			fputs(line, out);
	}
	if (fclose(out) == 0 && !ferror(in))
		rc = !fixed || rename(tmp, path) == 0 ? 0 : -1;
done:
	if (rc != 0)
		kb_warn("%s", tmp);
	unlink(tmp);
	free(tmp);
	free(line);
	fclose(in);
	return rc;
}

/* The file gnuplot wrote is an SVG (it begins with an XML prolog). */
static int
is_svg(const char *path)
{
	char head[6] = "";
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fread(head, 1, 5, fp) != 5)
		head[0] = '\0';
	fclose(fp);
	return strcmp(head, "<?xml") == 0;
}

static int
gp_run(struct gp *g, const char *tmpl, const char *out)
{
	struct spawn_opts o = { NULL, NULL, SPAWN_NULL, SPAWN_KEEP,
	    SPAWN_KEEP, 0, 0 };
	char *script, *errpath, *arg, *argv[5];
	struct stat st;
	pid_t pid;
	int status, fd, waited;

	if (fclose(g->params) == EOF) {
		kb_warn("params.gp");
		rm_dir(g->dir);
		return -1;
	}
	script = kb_asprintf("%s/dashboards/%s", kb_root(), tmpl);
	errpath = kb_asprintf("%s/gnuplot.err", g->dir);
	arg = kb_asprintf("params = '%s/params.gp'", g->dir);
	unlink(out);
	argv[0] = "gnuplot";
	argv[1] = "-e";
	argv[2] = arg;
	argv[3] = script;
	argv[4] = NULL;
	/* Its words, on error or not, into gnuplot.err for show_err(). */
	if ((fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) != -1) {
		o.out = fd;
		o.err = SPAWN_TO_OUT;
	}
	pid = spawn_start(argv, &o, NULL);
	if (fd != -1)
		close(fd);
	if (pid == -1) {
		status = -1;
		goto done;
	}
	/* A bounded wait: a broken gnuplot must not hang a page. */
	for (waited = 0; waited < GNUPLOT_TIMEOUT * 100; waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	if (waited == GNUPLOT_TIMEOUT * 100) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		kb_warnx("gnuplot took more than %d s", GNUPLOT_TIMEOUT);
		status = -1;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		show_err(errpath);
		kb_warnx("gnuplot failed%s", WIFEXITED(status) &&
		    WEXITSTATUS(status) == 127 ? " (is gnuplot installed?)" :
		    "");
		status = -1;
	} else if (stat(out, &st) == -1 || st.st_size == 0) {
		show_err(errpath);
		kb_warnx("gnuplot wrote no %s", out);
		status = -1;
	} else
		status = is_svg(out) ? svg_fix(out) : 0;
done:
	if (status != 0)
		unlink(out);	/* no half-drawn picture */
	rm_dir(g->dir);
	free(script);
	free(errpath);
	free(arg);
	return status;
}

/* set xtics ('label' 0, ...): at most MAX_XTICS, evenly spread. */
static void
gp_xtics(struct gp *g, const struct wd_point *v, size_t n)
{
	size_t i, step;

	step = n > MAX_XTICS ? (n + MAX_XTICS - 1) / MAX_XTICS : 1;
	fputs("set xtics (", g->params);
	for (i = 0; i < n; i += step) {
		if (i > 0)
			fputs(", ", g->params);
		plot_gpstr(g->params, v[i].label);
		fprintf(g->params, " %zu", i);
	}
	fputs(")\n", g->params);
}

static const char *
ylabel(enum kb_metric m)
{
	return kb_metric_is_time(m) ? "seconds" : cmp_metric_unit(m);
}

/*
 * What the x order is: the store sorts kernels by commit date, then
 * those without one (imports without --date, ad hoc runs) as stored.
 */
static const char *
history_xlabel(const struct wd_series *s)
{
	size_t i, dated = 0;

	for (i = 0; i < s->n; i++)
		dated += s->v[i].date != NULL && *s->v[i].date != '\0';
	if (dated == s->n)
		return "kernel (commit order)";
	if (dated == 0)
		return "kernel (in the order stored: no commit dates)";
	return "kernel (commit order, then those without a commit date)";
}

int
plot_history(const struct wd_series *s, const struct wd_change *ch,
    size_t nch, enum plot_fmt f, const char *out)
{
	struct gp g;
	FILE *d, *cp;
	char *title, *note;
	size_t i, j, ncp = 0;
	long k;

	if (s->n == 0) {
		kb_warnx("no data to plot for %s on %s", s->workload,
		    s->worker);
		return -1;
	}
	if (gp_open(&g, f, out, 900, 420) == -1)
		return -1;
	if ((d = gp_data(&g, "datafile", "data.dat")) == NULL ||
	    (cp = gp_data(&g, "cpfile", "cp.dat")) == NULL) {
		if (d != NULL)
			fclose(d);
		fclose(g.params);
		rm_dir(g.dir);
		return -1;
	}
	/* x stays the kernel's place: change points and tics line up. */
	for (j = 0; j < kb_sub_count(s->n, KB_PLOT_POINTS); j++) {
		i = kb_sub_index(s->n, KB_PLOT_POINTS, j);
		fprintf(d, "%zu %.9g %.9g %.9g\n", i, s->v[i].median,
		    s->v[i].min, s->v[i].max);
	}
	for (i = 0; i < nch; i++) {
		if (strcmp(ch[i].metric, kb_metric_name(s->m)) != 0 ||
		    (k = wd_series_find(s, ch[i].kernel_id)) == -1)
			continue;
		fprintf(cp, "%ld %.9g\n", k, s->v[k].median);
		fprintf(g.params, "set arrow from %ld - 0.5, graph 0 to "
		    "%ld - 0.5, graph 1 nohead dt 2 lc rgb '#c0392b'\n", k, k);
		ncp++;
	}
	fclose(d);
	fclose(cp);
	title = kb_asprintf("%s: %s on %s (%s)", kb_metric_name(s->m),
	    s->workload, s->worker, s->arch);
	gp_string(&g, "title", title);
	free(title);
	note = NULL;
	sub_phrase(&note, s->n, "kernels");
	gp_note(&g, note, "");
	gp_string(&g, "ylabel", ylabel(s->m));
	gp_string(&g, "xlabel", history_xlabel(s));
	fprintf(g.params, "npoints = %zu\nncp = %zu\n", s->n, ncp);
	gp_xtics(&g, s->v, s->n);
	return gp_run(&g, "history.gp", out);
}

/*
 * A fixed jitter from the index (a golden-ratio sequence): the same
 * data always draws the same picture.
 */
static double
jitter(size_t i)
{
	double x = fmod((double)i * 0.6180339887, 1.0);

	return (x - 0.5) * 0.3;
}

/*
 * One panel's files: a side's samples as points (a subsample when
 * there are many, see lib/subsample.h) and its summary from them all.
 */
static int
cmp_panel(struct gp *g, size_t i, const struct cmp_metric *cm)
{
	const struct st_summary *su;
	FILE *p, *s;
	char name[32], var[32];
	size_t j, k, nv;
	const double *v;
	int side;

	snprintf(name, sizeof(name), "pts%zu.dat", i);
	snprintf(var, sizeof(var), "pts[%zu]", i + 1);
	if ((p = gp_data(g, var, name)) == NULL)
		return -1;
	snprintf(name, sizeof(name), "sum%zu.dat", i);
	snprintf(var, sizeof(var), "sums[%zu]", i + 1);
	if ((s = gp_data(g, var, name)) == NULL) {
		fclose(p);
		return -1;
	}
	for (side = 0; side < 2; side++) {
		v = side ? cm->b : cm->a;
		nv = side ? cm->nb : cm->na;
		/* Sorted values: the subsample is a set of even quantiles. */
		for (k = 0; k < kb_sub_count(nv, KB_PLOT_POINTS); k++) {
			j = kb_sub_index(nv, KB_PLOT_POINTS, k);
			fprintf(p, "%.6f %.9g %d\n", side + 1 + jitter(k),
			    v[j], side ? 7 : 3);
		}
		su = side ? &cm->c.b : &cm->c.a;
		fprintf(s, "%d %.9g %.9g %.9g %.9g\n", side + 1,
		    su->median, su->mean,
		    su->mean - (isnan(su->stddev) ? 0 : su->stddev),
		    su->mean + (isnan(su->stddev) ? 0 : su->stddev));
	}
	fclose(p);
	fclose(s);
	fprintf(g->params, "mname[%zu] = '%s'\nmunit[%zu] = '%s'\n",
	    i + 1, kb_metric_name(cm->m), i + 1, cmp_metric_unit(cm->m));
	return 0;
}

int
plot_compare(const struct cmp_set *set, const char *title, enum plot_fmt f,
    const char *out)
{
	struct gp g;
	char *note = NULL, *what;
	size_t i, nm, na = 0, nb = 0;

	nm = set->n < 3 ? set->n : 3;	/* real, user, sys come first */
	if (nm == 0)
		return -1;
	if (gp_open(&g, f, out, 300 * (int)nm + 120, 420) == -1)
		return -1;
	fprintf(g.params, "nm = %zu\narray pts[%zu]\narray sums[%zu]\n"
	    "array mname[%zu]\narray munit[%zu]\n", nm, nm, nm, nm, nm);
	for (i = 0; i < nm; i++) {
		if (cmp_panel(&g, i, &set->v[i]) == -1) {
			fclose(g.params);
			rm_dir(g.dir);
			return -1;
		}
		na = set->v[i].na > na ? set->v[i].na : na;
		nb = set->v[i].nb > nb ? set->v[i].nb : nb;
	}
	gp_string(&g, "title", title);
	what = kb_asprintf("samples of %s", set->label_a);
	sub_phrase(&note, na, what);
	free(what);
	what = kb_asprintf("samples of %s", set->label_b);
	sub_phrase(&note, nb, what);
	free(what);
	gp_note(&g, note, "; medians and bars from every sample");
	fputs("set xtics (", g.params);
	plot_gpstr(g.params, set->label_a);
	fputs(" 1, ", g.params);
	plot_gpstr(g.params, set->label_b);
	fputs(" 2)\n", g.params);
	return gp_run(&g, "compare.gp", out);
}

int
plot_overview(const struct wd_series *v, size_t n, const char *title,
    enum plot_fmt f, const char *out)
{
	struct wd_point *all = NULL;
	struct gp g;
	FILE *d;
	char name[32], var[32], *note = NULL;
	size_t i, j, k, m, na = 0, ns = 0, longest = 0;
	double base;

	if (n > 60)
		n = 60;
	/* One axis: every kernel of every series, in order of appearance. */
	for (i = 0; i < n; i++)
		for (j = 0; j < v[i].n; j++) {
			for (k = 0; k < na; k++)
				if (all[k].kernel_id == v[i].v[j].kernel_id)
					break;
			if (k == na) {
				all = kb_reallocarray(all, na + 1,
				    sizeof(*all));
				all[na++] = v[i].v[j];
			}
		}
	if (na == 0) {
		free(all);
		return -1;
	}
	if (gp_open(&g, f, out, 900, 420) == -1) {
		free(all);
		return -1;
	}
	fprintf(g.params, "array files[%zu]\narray names[%zu]\n", n, n);
	for (i = 0; i < n; i++) {
		if (v[i].n == 0)
			continue;
		snprintf(name, sizeof(name), "s%zu.dat", ns);
		snprintf(var, sizeof(var), "files[%zu]", ns + 1);
		if ((d = gp_data(&g, var, name)) == NULL) {
			free(all);
			fclose(g.params);
			rm_dir(g.dir);
			return -1;
		}
		base = v[i].v[0].median;
		for (m = 0; m < kb_sub_count(v[i].n, KB_PLOT_POINTS); m++) {
			j = kb_sub_index(v[i].n, KB_PLOT_POINTS, m);
			for (k = 0; k < na; k++)
				if (all[k].kernel_id == v[i].v[j].kernel_id)
					fprintf(d, "%zu %.9g\n", k,
					    100 * v[i].v[j].median / base);
		}
		longest = v[i].n > longest ? v[i].n : longest;
		fclose(d);
		snprintf(var, sizeof(var), "names[%zu]", ns + 1);
		gp_string(&g, var, v[i].worker);
		ns++;
	}
	fprintf(g.params, "ns = %zu\nnpoints = %zu\n", ns, na);
	gp_string(&g, "title", title);
	sub_phrase(&note, longest, "kernels of a series");
	gp_note(&g, note, "");
	gp_xtics(&g, all, na);
	free(all);
	return gp_run(&g, "overview.gp", out);
}

int
plot_scatter(const double *a, const double *b, size_t n, const char *la,
    const char *lb, const char *title, enum plot_fmt f, const char *out)
{
	struct gp g;
	FILE *fp;
	double lo = INFINITY, hi = 0;
	size_t i, k = 0;

	if (gp_open(&g, f, out, 560, 560) == -1)
		return -1;
	if ((fp = gp_data(&g, "pts", "pts.dat")) == NULL) {
		fclose(g.params);
		rm_dir(g.dir);
		return -1;
	}
	/* A log scale has no room for 0: such a package is left out. */
	for (i = 0; i < n; i++)
		if (a[i] > 0 && b[i] > 0) {
			fprintf(fp, "%.17g %.17g\n", a[i], b[i]);
			lo = fmin(lo, fmin(a[i], b[i]));
			hi = fmax(hi, fmax(a[i], b[i]));
			k++;
		}
	fclose(fp);
	if (k == 0) {
		fclose(g.params);
		rm_dir(g.dir);
		return -1;
	}
	fprintf(g.params, "lo = %.17g\nhi = %.17g\n", lo / 1.5, hi * 1.5);
	gp_string(&g, "title", title);
	gp_string(&g, "xlabel", la);
	gp_string(&g, "ylabel", lb);
	return gp_run(&g, "scatter.gp", out);
}

void
plot_gpstr(FILE *fp, const char *s)
{
	unsigned char ch;

	fputc('\'', fp);
	for (; (ch = (unsigned char)*s) != '\0'; s++) {
		if (ch == '\'')
			fputs("''", fp);
		else if (ch < 0x20 || ch == 0x7f)
			fputc('?', fp);
		else
			fputc(ch, fp);
	}
	fputc('\'', fp);
}
