/*
 * cfgkeys.c: check a libconfig group against a table of keys, for
 * config.c and recipe.c alike, with the same messages.
 */
#include <stdio.h>
#include <string.h>

#include "format/cfgkeys.h"

const char *
cfg_type_word(enum cfg_type t)
{
	switch (t) {
	case CFG_STRING:
		return "a string (\"...\")";
	case CFG_INT:
		return "an integer";
	case CFG_NUMBER:
		return "a number";
	case CFG_GROUP:
		return "a group ({ ... })";
	case CFG_STRINGS:
		return "a list of strings ([ \"...\", ... ])";
	case CFG_STRLIST:
		return "a list of strings (( \"...\", ... ))";
	case CFG_GROUPS:
		return "a list of groups (( { ... }, ... ))";
	}
	return "?";
}

static int
has_type(const config_setting_t *s, enum cfg_type t)
{
	int i, n, et;

	switch (t) {
	case CFG_STRING:
		return config_setting_type(s) == CONFIG_TYPE_STRING;
	case CFG_INT:
		return config_setting_type(s) == CONFIG_TYPE_INT ||
		    config_setting_type(s) == CONFIG_TYPE_INT64;
	case CFG_NUMBER:
		return config_setting_is_number(s);
	case CFG_GROUP:
		return config_setting_is_group(s);
	case CFG_STRINGS:
	case CFG_STRLIST:
	case CFG_GROUPS:
		if (!config_setting_is_array(s) && !config_setting_is_list(s))
			return 0;
		et = t == CFG_GROUPS ? CONFIG_TYPE_GROUP : CONFIG_TYPE_STRING;
		n = config_setting_length(s);
		for (i = 0; i < n; i++)
			if (config_setting_type(config_setting_get_elem(s,
			    i)) != et)
				return 0;
		return 1;
	}
	return 0;
}

const config_setting_t *
cfg_check_keys(const config_setting_t *g, const struct cfg_key *keys,
    const char *what, char *msg, size_t len)
{
	const config_setting_t *s;
	const struct cfg_key *k;
	const char *name;
	char list[512];
	size_t n;
	int i;

	for (i = 0; i < config_setting_length(g); i++) {
		s = config_setting_get_elem(g, i);
		name = config_setting_name(s);
		for (k = keys; k->name != NULL; k++)
			if (name != NULL && strcmp(k->name, name) == 0)
				break;
		if (k->name == NULL) {
			/* The hint: every key the group may hold. */
			list[0] = '\0';
			for (k = keys, n = 0; k->name != NULL &&
			    n < sizeof(list); k++)
				n += (size_t)snprintf(list + n,
				    sizeof(list) - n, "%s%s",
				    k != keys ? ", " : "", k->name);
			snprintf(msg, len, "unknown key '%s' in %s; expected "
			    "one of: %s", name != NULL ? name : "?", what,
			    list);
			return s;
		}
		if (!has_type(s, k->type)) {
			snprintf(msg, len, "%s: expected %s", name,
			    cfg_type_word(k->type));
			return s;
		}
	}
	for (k = keys; k->name != NULL; k++)
		if (k->required && config_setting_get_member(g, k->name) ==
		    NULL) {
			snprintf(msg, len, "%s has no %s; expected %s = %s",
			    what, k->name, k->name, cfg_type_word(k->type));
			return g;
		}
	return NULL;
}
