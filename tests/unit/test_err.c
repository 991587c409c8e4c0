/*
 * test_err: the public error table and the SQLSTATE map of err.c.
 *
 * The SQLSTATE rows are copied here by hand (from PostgreSQL's Appendix A
 * "Error Codes" and the SE class of our SQL functions) so that a change
 * to err.c has to be a deliberate change to this file too, the way
 * test_perm.c holds the permission matrix.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "err.h"
#include "unit.h"

/* | SQLSTATE or class | error | */
static const struct {
	const char	*state;
	enum err	 err;
} copy[] = {
	{ "23505", ERR_CONFLICT },
	{ "23514", ERR_VALIDATION_FAILED },
	{ "23502", ERR_VALIDATION_FAILED },
	{ "23503", ERR_VALIDATION_FAILED },
	{ "22001", ERR_VALIDATION_FAILED },
	{ "22P02", ERR_BAD_REQUEST },
	{ "22021", ERR_BAD_REQUEST },
	{ "08", ERR_UNAVAILABLE },
	{ "57", ERR_UNAVAILABLE },
	{ "40001", ERR_UNAVAILABLE },
	{ "40P01", ERR_UNAVAILABLE },
	{ "55P03", ERR_UNAVAILABLE },
	{ "53", ERR_UNAVAILABLE },
	{ "SE404", ERR_NOT_FOUND },
	{ "SE409", ERR_CONFLICT },
	{ "SE422", ERR_VALIDATION_FAILED },
	{ "SE403", ERR_FORBIDDEN },
	{ "SE429", ERR_OAUTH_TOO_MANY_PENDING },
};

/* The table has exactly the rows of the copy, each once. */
static void
test_sqlstate_rows(void)
{
	size_t	 i, j, hits;

	UNIT_CHECK(err_nsqlstates == UNIT_NCASES(copy), "%zu rows, copy %zu",
	    err_nsqlstates, UNIT_NCASES(copy));
	for (i = 0; i < UNIT_NCASES(copy); i++) {
		hits = 0;
		for (j = 0; j < err_nsqlstates; j++)
			if (strcmp(err_sqlstates[j].ss_state,
			    copy[i].state) == 0) {
				hits++;
				UNIT_CHECK(err_sqlstates[j].ss_err ==
				    copy[i].err, "%s: %d want %d",
				    copy[i].state, err_sqlstates[j].ss_err,
				    copy[i].err);
			}
		UNIT_CHECK(hits == 1, "%s: %zu rows", copy[i].state, hits);
	}
	for (j = 0; j < err_nsqlstates; j++) {
		hits = strlen(err_sqlstates[j].ss_state);
		UNIT_CHECK(hits == 2 || hits == 5, "row %zu: %s is neither a "
		    "class nor a state", j, err_sqlstates[j].ss_state);
	}
}

/*
 * Each row of the copy through err_from_sqlstate: a state maps to its
 * error, a class row to every state of the class; neighbours that have
 * no row are 500.
 */
static void
test_sqlstate_lookup(void)
{
	static const char *const tails[] = { "000", "001", "P01", "999" };
	char		 s[8];
	size_t		 i, k;

	for (i = 0; i < UNIT_NCASES(copy); i++) {
		if (strlen(copy[i].state) == 5) {
			UNIT_CHECK(err_from_sqlstate(copy[i].state) ==
			    copy[i].err, "%s", copy[i].state);
			continue;
		}
		for (k = 0; k < UNIT_NCASES(tails); k++) {
			snprintf(s, sizeof(s), "%s%s", copy[i].state,
			    tails[k]);
			UNIT_CHECK(err_from_sqlstate(s) == copy[i].err,
			    "class %s: %s", copy[i].state, s);
		}
	}
	CU_ASSERT_EQUAL(err_from_sqlstate("42501"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate("23000"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate("23504"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate("40000"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate("SE500"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate("P0001"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate("08"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate("0800"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate("080000"), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate(""), ERR_INTERNAL);
	CU_ASSERT_EQUAL(err_from_sqlstate(NULL), ERR_INTERNAL);
}

/*
 * Public codes are distinct, but for the one alias second-api(7)
 * documents: a refused cross-site request is 403 "forbidden" with a
 * message that begins "csrf_failed:".
 */
static void
test_codes_distinct(void)
{
	int	 e, f;

	for (e = ERR_OK; e < ERR__MAX; e++) {
		UNIT_CHECK(err_table[e].code != NULL &&
		    err_table[e].message != NULL, "row %d empty", e);
		for (f = e + 1; f < ERR__MAX; f++) {
			if (e == ERR_FORBIDDEN && f == ERR_CSRF_FAILED)
				continue;
			UNIT_CHECK(strcmp(err_table[e].code,
			    err_table[f].code) != 0, "%s: rows %d and %d",
			    err_table[e].code, e, f);
		}
	}
	CU_ASSERT_STRING_EQUAL(err_table[ERR_CSRF_FAILED].code, "forbidden");
	CU_ASSERT_EQUAL(err_table[ERR_CSRF_FAILED].status,
	    err_table[ERR_FORBIDDEN].status);
	CU_ASSERT_EQUAL(strncmp(err_table[ERR_CSRF_FAILED].message,
	    "csrf_failed:", 12), 0);
}

/*
 * Every error row is a ".It STATUS Ta Ql CODE Ta" line of second-api(7),
 * STATUS AND ERROR CODES.
 */
static void
code_line(const char *line, void *arg)
{
	bool	*found = arg;
	char	 want[256];
	int	 e;

	for (e = ERR_OK + 1; e < ERR__MAX; e++) {
		snprintf(want, sizeof(want), ".It %d Ta Ql %s Ta",
		    err_table[e].status, err_table[e].code);
		if (strncmp(line, want, strlen(want)) == 0)
			found[e] = true;
	}
}

static void
test_codes_documented(void)
{
	bool	 found[ERR__MAX] = { false };
	int	 e;

	unit_man_lines("man/second-api.7", code_line, found);
	for (e = ERR_OK + 1; e < ERR__MAX; e++)
		UNIT_CHECK(found[e], "%d %s not in man/second-api.7",
		    err_table[e].status, err_table[e].code);
}

static const struct unit_case cases[] = {
	{ "SQLSTATE rows against an independent copy", test_sqlstate_rows },
	{ "SQLSTATE lookup", test_sqlstate_lookup },
	{ "public codes distinct", test_codes_distinct },
	{ "public codes documented in second-api(7)", test_codes_documented },
};

UNIT_MAIN("err", cases)
