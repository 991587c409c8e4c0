/*
 * unit.c: helpers that several CUnit programs in tests/unit share (see
 * unit.h).  Each records its assertions with UNIT_CHECK or CU_ASSERT, so
 * a test that calls one counts them as its own.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "unit.h"

/*
 * Parse text as JSON; a text that does not parse (other than "null") is
 * a failed assertion.  The caller puts the result.
 */
json_object *
unit_parse(const char *text)
{
	json_object	*o;

	o = json_tokener_parse(text);
	UNIT_CHECK(o != NULL || strcmp(text, "null") == 0,
	    "test input does not parse: %.60s", text);
	return o;
}

/* n nested JSON arrays around the number 1; the caller puts it. */
json_object *
unit_nest(int n)
{
	json_object	*v = json_object_new_int(1), *a;
	int		 i;

	for (i = 0; i < n; i++) {
		a = json_object_new_array();
		json_object_array_add(a, v);
		v = a;
	}
	return v;
}

/*
 * Check that form (a serialiser into a buf) of v gives want; want NULL:
 * that form fails.  "what" names the case in a failure.
 */
void
unit_check_form(int (*form)(json_object *, struct buf *), json_object *v,
    const char *want, const char *what)
{
	struct buf	 b = BUF_INIT;
	int		 rc;

	rc = form(v, &b);
	if (want == NULL)
		UNIT_CHECK(rc == -1, "%s: expected failure, got %s", what,
		    UNIT_S(b.b_data));
	else
		UNIT_CHECK(rc == 0 && unit_streq(b.b_data, want),
		    "%s: got %s want %s", what, rc == 0 ? UNIT_S(b.b_data) :
		    "(failure)", want);
	buf_free(&b);
}

/*
 * Unset INTERNAL_API_TOKEN and every SECOND_* variable, so that
 * conf_load sees none of the caller's environment.
 */
void
unit_clear_env(void)
{
	extern char	**environ;
	char		  name[256];
	size_t		  i, n;
	bool		  again = true;

	unsetenv("INTERNAL_API_TOKEN");
	while (again) {
		again = false;
		for (i = 0; environ != NULL && environ[i] != NULL; i++) {
			if (strncmp(environ[i], "SECOND_", 7) != 0)
				continue;
			n = strcspn(environ[i], "=");
			if (n >= sizeof(name))
				continue;
			memcpy(name, environ[i], n);
			name[n] = '\0';
			unsetenv(name);
			again = true;
			break;
		}
	}
}

/*
 * Call fn(line, arg) for each line of the man page "page" (a path below
 * $top_srcdir, e.g. "man/second-api.7"); a page that does not open is a
 * fatal assertion.
 */
void
unit_man_lines(const char *page, void (*fn)(const char *, void *),
    void *arg)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], line[1024];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", top != NULL ? top : ".", page);
	f = fopen(path, "r");
	CU_ASSERT_FATAL(f != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		fn(line, arg);
	fclose(f);
}

/*
 * Check each row: ok(in) is the row's verdict; a failure names the input
 * and the verdict wanted.
 */
void
unit_check_verdicts(bool (*ok)(const char *), const struct unit_verdict *rows,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		UNIT_CHECK(ok(rows[i].in) == rows[i].ok, "\"%s\": want %s",
		    rows[i].in, rows[i].ok ? "ok" : "refused");
}
