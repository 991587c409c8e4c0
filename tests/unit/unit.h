/*
 * unit.h: the shared main of the CUnit programs in tests/unit.
 *
 * Each test_<module>.c defines its test functions, lists them in an array
 * of struct unit_case and ends with UNIT_MAIN("suite", cases).  The program
 * runs the suite in verbose mode and exits 0 only when every assertion
 * passed and CUnit itself reported no error; 1 otherwise (automake: FAIL).
 *
 * UNIT_CHECK(cond, fmt, ...) is CU_ASSERT with a printf-style note, so that
 * a failing row of a table-driven test says which row it was.
 *
 * Helpers that several programs share (JSON fixtures, the environment,
 * the man pages) live in unit.c, linked into each program.
 */
#ifndef SECOND_UNIT_H
#define SECOND_UNIT_H

#include <CUnit/Basic.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit_case {
	const char	*uc_name;
	void		(*uc_fn)(void);
};

#define UNIT_NCASES(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Record one assertion.  CUnit copies the condition text, so a stack
 * buffer is fine.
 */
static inline void
unit_check(int ok, unsigned int line, const char *file, const char *func,
    const char *cond, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static inline void
unit_check(int ok, unsigned int line, const char *file, const char *func,
    const char *cond, const char *fmt, ...)
{
	char	 msg[1024];
	size_t	 n;
	va_list	 ap;

	if (ok) {
		CU_assertImplementation(CU_TRUE, line, cond, file, func,
		    CU_FALSE);
		return;
	}
	n = (size_t)snprintf(msg, sizeof(msg), "%s [", cond);
	if (n < sizeof(msg)) {
		va_start(ap, fmt);
		vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
		va_end(ap);
	}
	n = strlen(msg);
	if (n + 2 <= sizeof(msg)) {
		msg[n] = ']';
		msg[n + 1] = '\0';
	}
	CU_assertImplementation(CU_FALSE, line, msg, file, func, CU_FALSE);
}

#define UNIT_CHECK(cond, ...) \
	unit_check((cond) ? 1 : 0, __LINE__, __FILE__, __func__, #cond, \
	    __VA_ARGS__)

/* String equality that tolerates NULL on either side (NULL == NULL). */
static inline int
unit_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

#define UNIT_S(s)	((s) != NULL ? (s) : "(null)")

/* An input and whether a predicate accepts it (unit_check_verdicts). */
struct unit_verdict {
	const char	*in;
	bool		 ok;
};

/* The shared helpers of unit.c, linked into every program. */
struct buf;
struct json_object;
struct json_object	*unit_parse(const char *);
struct json_object	*unit_nest(int);
void			 unit_check_form(int (*)(struct json_object *,
			    struct buf *), struct json_object *, const char *,
			    const char *);
void			 unit_check_verdicts(bool (*)(const char *),
			    const struct unit_verdict *, size_t);
void			 unit_clear_env(void);
void			 unit_man_lines(const char *,
			    void (*)(const char *, void *), void *);

/*
 * Register "cases" as one suite, run it, and return the exit status.
 */
static inline int
unit_run(const char *suite_name, const struct unit_case *cases, size_t n)
{
	CU_pSuite	 suite;
	unsigned int	 failures, run;
	size_t		 i;
	int		 rc = 1;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "%s: CU_initialize_registry: %s\n",
		    suite_name, CU_get_error_msg());
		return 1;
	}
	if ((suite = CU_add_suite(suite_name, NULL, NULL)) == NULL) {
		fprintf(stderr, "%s: CU_add_suite: %s\n", suite_name,
		    CU_get_error_msg());
		goto out;
	}
	for (i = 0; i < n; i++)
		if (CU_add_test(suite, cases[i].uc_name, cases[i].uc_fn) ==
		    NULL) {
			fprintf(stderr, "%s: CU_add_test %s: %s\n", suite_name,
			    cases[i].uc_name, CU_get_error_msg());
			goto out;
		}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		fprintf(stderr, "%s: CU_basic_run_tests: %s\n", suite_name,
		    CU_get_error_msg());
		goto out;
	}
	failures = CU_get_number_of_failures();
	run = CU_get_number_of_tests_run();
	printf("\n%s: %u tests run, %u assertions, %u failures\n",
	    suite_name, run, CU_get_number_of_asserts(), failures);
	if (failures != 0 || run != n || CU_get_error() != CUE_SUCCESS)
		goto out;
	rc = 0;
out:
	CU_cleanup_registry();
	return rc;
}

#define UNIT_MAIN(suite_name, cases) \
	int main(void); \
	int \
	main(void) \
	{ \
		return unit_run((suite_name), (cases), UNIT_NCASES(cases)); \
	}

#endif
