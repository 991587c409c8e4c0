/*
 * test_db: the SQLSTATE -> public error table of db_err_from_sqlstate.
 *
 * Insufficient privilege (42501: a missing grant or a row-level security
 * WITH CHECK refusal) is a bug of ours and must be a 500, never a 404
 * that hides it (issue 19, item 5).
 */
#include "config.h"

#include "db.h"
#include "unit.h"

struct state_row {
	const char	*state;
	enum err	 err;
};

static const struct state_row states[] = {
	{ "23505", ERR_CONFLICT },
	{ "23514", ERR_VALIDATION_FAILED },
	{ "23502", ERR_VALIDATION_FAILED },
	{ "23503", ERR_VALIDATION_FAILED },
	{ "22001", ERR_VALIDATION_FAILED },
	{ "22P02", ERR_BAD_REQUEST },
	{ "22021", ERR_BAD_REQUEST },
	{ "42501", ERR_INTERNAL },
	{ "08006", ERR_UNAVAILABLE },
	{ "57P01", ERR_UNAVAILABLE },
	{ "40001", ERR_UNAVAILABLE },
	{ "40P01", ERR_UNAVAILABLE },
	{ "53300", ERR_UNAVAILABLE },
	{ "SE404", ERR_NOT_FOUND },
	{ "SE409", ERR_CONFLICT },
	{ "SE422", ERR_VALIDATION_FAILED },
	{ "SE403", ERR_FORBIDDEN },
	{ "42P01", ERR_INTERNAL },
	{ "P0001", ERR_INTERNAL },
	{ "4250", ERR_INTERNAL },
	{ "425011", ERR_INTERNAL },
	{ "", ERR_INTERNAL },
	{ NULL, ERR_INTERNAL },
};

static void
test_states(void)
{
	size_t		 i;
	enum err	 got;

	for (i = 0; i < UNIT_NCASES(states); i++) {
		got = db_err_from_sqlstate(states[i].state);
		UNIT_CHECK(got == states[i].err, "%s: got %d want %d",
		    UNIT_S(states[i].state), got, states[i].err);
	}
}

static const struct unit_case cases[] = {
	{ "SQLSTATE table", test_states },
};

UNIT_MAIN("db", cases)
