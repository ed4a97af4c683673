/*
 * cfgkeys.h: the schema check that config.c and recipe.c share.
 * libconfig only knows syntax; each group's keys are a table, and
 * anything not in it is an error, so that a typo ("comand") is caught
 * at load time instead of silently running nothing.
 */
#ifndef CFGKEYS_H
#define CFGKEYS_H

#include <stddef.h>

#include <libconfig.h>

enum cfg_type {
	CFG_STRING, CFG_INT, CFG_NUMBER, CFG_GROUP,
	CFG_STRINGS,		/* strings; the hint shows an array [ ] */
	CFG_STRLIST,		/* strings; the hint shows a list ( ) */
	CFG_GROUPS
};

struct cfg_key {
	const char	*name;
	enum cfg_type	 type;
	int		 required;
};

/* How a type is named in messages: "a string (\"...\")". */
const char	*cfg_type_word(enum cfg_type);

/*
 * Group g may hold only keys of the table (ended by a NULL name), each
 * of its type, and must hold every required one; what names g in
 * messages ("worker", "the recipe").  NULL when it does; otherwise the
 * setting at fault (g for a missing key), with the message, which the
 * caller prefixes with FILE:LINE, in msg.
 */
const config_setting_t *cfg_check_keys(const config_setting_t *g,
		    const struct cfg_key *keys, const char *what, char *msg,
		    size_t len);

#endif /* CFGKEYS_H */
