/*
 * label.c: what a user-given name may contain.
 */
#include <string.h>

#include "lib/label.h"

int
label_valid(const char *s, size_t max)
{
	size_t n;

	if (*s == '\0' || *s == '.' || *s == '-')
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		/* ASCII by hand: isalnum() would follow the locale. */
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') ||
		    strchr("._+-", s[n]) != NULL))
			return 0;
	return max == 0 || n <= max;
}
