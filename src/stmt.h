/*
 * stmt: every SQL statement the workers run, named and prepared once per
 * connection.  The text lives in sql/statements/, one file per area,
 * each statement with a header (name, role, parameters, result columns,
 * the policy it relies on); scripts/stmtgen.awk generates enum stmt
 * (ST_<NAME>), the result column indexes (COL_<NAME>_<COLUMN>) and
 * stmt_defs[] from it at build time (stmt_gen.h, stmt_gen.c in the build
 * directory).  Every value is a bound parameter.  second-fcgi
 * --statements prints the catalogue (second-fcgi(8), "Statements").
 */
#ifndef SECOND_STMT_H
#define SECOND_STMT_H

#include "stmt_gen.h"

struct stmt_def {
	const char	*sd_name;	/* prepared statement name */
	const char	*sd_sql;	/* text, fragments expanded */
	int		 sd_nparams;	/* number of $n (the highest) */
	const char	*sd_file;	/* sql/statements/ file */
	const char	*sd_role;	/* role(s) that run it, space-separated */
	const char	*sd_params;	/* what each $n is */
	const char	*sd_policy;	/* what makes it safe */
	const char *const *sd_cols;	/* result column names */
	int		 sd_ncols;	/* ... how many */
};

extern const struct stmt_def stmt_defs[ST__MAX];

#endif
