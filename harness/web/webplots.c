/*
 * webplots.c: a plot's name to its data, and its data to a drawing.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "web/webplots.h"

enum wplot_kind { WPLOT_HISTORY, WPLOT_COMPARE, WPLOT_OVERVIEW };

struct wplot {
	enum wplot_kind	 kind;
	enum plot_fmt	 fmt;
	char		*title;
	struct wd_series s;		/* history */
	struct wd_change *ch;
	size_t		 nch;
	struct rp_cmp	 rc;		/* compare */
	struct wd_series *sv;		/* overview */
	size_t		 ns;
};

int
wplot_parse_ids(const char *s, const char *prefix, const char *suffix,
    int64_t *v, int max, char *word, size_t wordlen)
{
	const char *p, *end;
	char *e;
	int n = 0;

	if (strncmp(s, prefix, strlen(prefix)) != 0)
		return -1;
	p = s + strlen(prefix);
	end = s + strlen(s) - strlen(suffix);
	if (end < p || strcmp(end, suffix) != 0)
		return -1;
	if (word != NULL)
		*word = '\0';
	while (p < end) {
		if (n == max) {
			/* What follows the numbers: a metric, a hash. */
			if (word == NULL || *p != '-' ||
			    (size_t)(end - p) > wordlen)
				return -1;
			memcpy(word, p + 1, (size_t)(end - p - 1));
			word[end - p - 1] = '\0';
			return n;
		}
		if (n > 0) {
			if (*p != '-')
				return -1;
			p++;
		}
		if (*p < '0' || *p > '9')
			return -1;
		v[n++] = strtoll(p, &e, 10);
		p = e;
	}
	return n;
}

void
wp_arch_hash(const char *arch, char out[9])
{
	char hex[65];

	kb_sha256_hex(arch, strlen(arch), hex);
	memcpy(out, hex, 8);
	out[8] = '\0';
}

/* Which plot a name is, its ids and word; -1 for none. */
static int
parse_name(const char *name, enum plot_fmt f, int64_t v[4], char word[32])
{
	char suffix[8];

	snprintf(suffix, sizeof(suffix), ".%s", plot_fmt_ext(f));
	if (wplot_parse_ids(name, "plot-history-", suffix, v, 2, word,
	    32) == 2)
		return WPLOT_HISTORY;
	if (wplot_parse_ids(name, "plot-compare-", suffix, v, 4, NULL,
	    0) == 4)
		return WPLOT_COMPARE;
	if (wplot_parse_ids(name, "plot-overview-", suffix, v, 1, word,
	    32) == 1)
		return WPLOT_OVERVIEW;
	return -1;
}

int
wplot_version(PGconn *c, enum plot_fmt f, const char *name,
    char out[PD_VERSION_LEN])
{
	int64_t v[4];
	char word[32];
	enum kb_metric m;

	switch (parse_name(name, f, v, word)) {
	case WPLOT_HISTORY:
		if (kb_metric_parse(word, &m) == -1)
			return 1;
		return pd_version_history(c, v[0], v[1], out);
	case WPLOT_COMPARE:
		return pd_version_compare(c, v[0], v[1], v[2], v[3], out);
	case WPLOT_OVERVIEW:
		return pd_version_overview(c, v[0], out);
	default:
		return 1;
	}
}

static int
load_history(PGconn *c, const int64_t *v, const char *word,
    struct wplot *p)
{
	enum kb_metric m;

	if (kb_metric_parse(word, &m) == -1 ||
	    wd_series_load(c, v[0], v[1], m, &p->s) == -1)
		return 1;
	if (wd_changes(c, v[0], v[1], 0, &p->ch, &p->nch) == -1) {
		p->ch = NULL;
		p->nch = 0;
	}
	return p->s.n == 0 ? 1 : 0;
}

static int
load_compare(PGconn *c, const struct rp_opts *o, const int64_t *v,
    struct wplot *p)
{
	char err[256];

	if (rp_cmp_plot(c, v[0], v[1], v[2], v[3], o, &p->rc, err,
	    sizeof(err)) == -1)
		return 1;
	p->title = kb_asprintf("%s on %s", p->rc.workload, p->rc.worker);
	return 0;
}

static int
load_overview(PGconn *c, const int64_t *v, const char *word,
    struct wplot *p)
{
	struct wd_pair *pp;
	size_t np, i;
	char h[9];

	if (wd_pairs(c, &pp, &np) == -1)
		return -1;
	p->sv = kb_calloc(np + 1, sizeof(*p->sv));
	for (i = 0; i < np; i++) {
		wp_arch_hash(pp[i].arch, h);
		if (pp[i].workload_id != v[0] || strcmp(h, word) != 0)
			continue;
		if (p->title == NULL)
			p->title = kb_asprintf("%s on %s: median real time",
			    pp[i].workload, pp[i].arch);
		if (wd_series_load(c, pp[i].worker_id, pp[i].workload_id,
		    KB_M_REAL, &p->sv[p->ns]) == 0)
			p->ns++;
		else
			wd_series_free(&p->sv[p->ns]);
	}
	wd_pairs_free(pp, np);
	return p->ns == 0 ? 1 : 0;
}

int
wplot_load(PGconn *c, const struct rp_opts *o, enum plot_fmt f,
    const char *name, struct wplot **out)
{
	struct wplot *p;
	int64_t v[4];
	char word[32];
	int kind, rc;

	*out = NULL;
	if ((kind = parse_name(name, f, v, word)) == -1)
		return 1;
	p = kb_calloc(1, sizeof(*p));
	p->kind = (enum wplot_kind)kind;
	p->fmt = f;
	if (kind == WPLOT_HISTORY)
		rc = load_history(c, v, word, p);
	else if (kind == WPLOT_COMPARE)
		rc = load_compare(c, o, v, p);
	else
		rc = load_overview(c, v, word, p);
	if (rc != 0)
		wplot_free(p);
	else
		*out = p;
	return rc;
}

int
wplot_draw(const struct wplot *p, const char *path)
{
	switch (p->kind) {
	case WPLOT_HISTORY:
		return plot_history(&p->s, p->ch, p->nch, p->fmt, path);
	case WPLOT_COMPARE:
		return plot_compare(&p->rc.set, p->title, p->fmt, path);
	default:
		return plot_overview(p->sv, p->ns, p->title, p->fmt, path);
	}
}

void
wplot_free(struct wplot *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (p->kind == WPLOT_HISTORY) {
		wd_series_free(&p->s);
		wd_changes_free(p->ch, p->nch);
	} else if (p->kind == WPLOT_COMPARE)
		rp_cmp_free(&p->rc);
	for (i = 0; i < p->ns; i++)
		wd_series_free(&p->sv[i]);
	free(p->sv);
	free(p->title);
	free(p);
}
