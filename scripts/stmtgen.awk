# stmtgen.awk: the statement catalogue of second-fcgi, generated at build
# time from the SQL files in sql/statements/ (POSIX awk, no other tool).
#
#   awk -v out=h -f stmtgen.awk sql/statements/*.sql > src/stmt_gen.h
#   awk -v out=c -f stmtgen.awk sql/statements/*.sql > src/stmt_gen.c
#   awk -v out=pgbench -v stmts="ctx guard" -v bind="ctx:1=:role ctx:2=NULL" \
#       -f stmtgen.awk sql/statements/*.sql > txn.sql
#
# out=pgbench (scripts/bench, the database floor) prints the statements
# named in stmts, in that order, each as one pgbench SQL command: its
# expanded text with every $n replaced by the value bind gives it
# ("NAME:n=VALUE", space-separated; a pgbench :variable or a literal such
# as NULL, since a pgbench variable cannot be NULL).  A $n without a value
# is an error.
#
# The header holds enum stmt (ST_<NAME>, in the order of the files given
# and of the statements in each) and the result column indexes
# COL_<NAME>_<COLUMN>; the C file holds stmt_defs[] (stmt.h).
#
# File format (second-fcgi(8), "Statements").  A statement is a header of
# "-- key: value" lines right after "-- name:", then its SQL, ended by a
# line ending in ";":
#
#   -- name: teams                  a-z0-9_; the enum is ST_TEAMS
#   -- role: second_member          the role(s) that run it, space-separated
#   -- params: $1 text cursor ...   each $n of the text, or "none"
#   -- returns: id, name, ...       the result column names, or "none"
#   -- policy: teams SELECT         what makes it safe (RLS policies, or
#                                   "definer FUNCTION", or "none (why)")
#   -- let: NAME = TEXT             a value for {{NAME}} in this statement
#   SELECT ... ;
#
# A value continues on the next line when that line is "--" followed by at
# least two spaces.  Other "--" lines between statements are comments.
# A fragment is "-- fragment: NAME", optionally "-- returns:", then SQL up
# to the next blank line; {{NAME}} in a statement's text (or in a
# fragment's) is replaced by it, and {{NAME}} in a "returns" list by its
# columns.  A statement whose columns are exactly one fragment's gets no
# COL_ constants of its own: its readers use the fragment's, shared by
# every statement that returns that row.  The parameter count is the
# highest $n of the expanded text; "params" must describe exactly $1..$n
# (its types are checked against the database by tests/sql/statements.test).
# The SQL has no blank line, no "--" comment and no ";" before its last.

function fail(msg) {
	print "stmtgen: " FILENAME ":" FNR ": " msg | "cat 1>&2"
	failed = 1
	exit 1
}

function failitem(i, msg) {
	print "stmtgen: " ifile[i] ": " ikind[i] " " iname[i] ": " msg | \
	    "cat 1>&2"
	failed = 1
	exit 1
}

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

function spaces(n,	s) {
	s = ""
	while (n-- > 0)
		s = s " "
	return s
}

# Finish the item being read.
function finish() {
	if (cur == 0)
		return
	if (ikind[cur] == "statement" && state == "body")
		fail("statement " iname[cur] " has no closing ;")
	if (ibody[cur] == "")
		failitem(cur, "no SQL text")
	cur = 0
	state = "out"
}

function start(kind, name) {
	finish()
	name = trim(name)
	if (name !~ /^[a-z][a-z0-9_]*$/)
		fail("bad " kind " name \"" name "\"")
	if (name in byname)
		fail(kind " " name " is defined twice")
	n++
	cur = n
	byname[name] = n
	ikind[n] = kind
	iname[n] = name
	ifile[n] = FILENAME
	sub(/.*\//, "", ifile[n])
	ibody[n] = ""
	inlets[n] = 0
	state = "head"
	lastkey = ""
}

function header(line,	key, val, eq) {
	if (line ~ /^--   */ && line !~ /^-- [a-z]+:/) {
		if (lastkey == "")
			fail("continuation line without a header")
		val = trim(substr(line, 3))
		if (lastkey == "let")
			ilet[cur, inlets[cur]] = ilet[cur, inlets[cur]] " " val
		else
			ihead[cur, lastkey] = ihead[cur, lastkey] " " val
		return
	}
	if (line !~ /^-- [a-z]+:/)
		fail("not a header line in " iname[cur] ": " line)
	key = substr(line, 4)
	sub(/:.*/, "", key)
	val = line
	sub(/^-- [a-z]+:/, "", val)
	val = trim(val)
	if (ikind[cur] == "fragment" && key != "returns")
		fail("a fragment has only a returns header, not " key)
	if (key == "let") {
		eq = index(val, "=")
		if (eq == 0)
			fail("let needs NAME = TEXT")
		inlets[cur]++
		iletname[cur, inlets[cur]] = trim(substr(val, 1, eq - 1))
		ilet[cur, inlets[cur]] = trim(substr(val, eq + 1))
		if (iletname[cur, inlets[cur]] !~ /^[a-z][a-z0-9_]*$/)
			fail("bad let name")
	} else if (key == "role" || key == "params" || key == "returns" ||
	    key == "policy") {
		if ((cur, key) in ihead)
			fail("two " key " headers")
		ihead[cur, key] = val
	} else
		fail("unknown header " key)
	lastkey = key
}

FNR == 1 {
	finish()
	nfiles++
}

{
	sub(/[ \t\r]+$/, "")
}

/^-- name:/ {
	start("statement", substr($0, 9))
	next
}

/^-- fragment:/ {
	start("fragment", substr($0, 13))
	next
}

state == "head" && /^--/ {
	header($0)
	next
}

state == "head" {
	state = "body"
}

state == "out" {
	if ($0 == "" || $0 ~ /^--/)
		next
	fail("SQL outside a statement: " $0)
}

state == "body" {
	if ($0 ~ /^[ \t]*--/)
		fail("comment inside the SQL of " iname[cur])
	if ($0 == "") {
		if (ikind[cur] == "fragment") {
			finish()
			next
		}
		fail("blank line inside statement " iname[cur])
	}
	line = $0
	if (ikind[cur] == "statement" && line ~ /;$/) {
		sub(/;$/, "", line)
		ibody[cur] = ibody[cur] (ibody[cur] == "" ? "" : "\n") line
		cur = 0
		state = "out"
		next
	}
	if (index(line, ";") > 0)
		fail("; inside the SQL of " iname[cur])
	ibody[cur] = ibody[cur] (ibody[cur] == "" ? "" : "\n") line
}

# {{NAME}} in text, for item i: its let, else the fragment NAME.  Lines
# after the first of a value are indented to the column of the {{.
function expand(text, i, depth,	out, name, val, j, k, col, pre, at, len) {
	if (depth > 8)
		failitem(i, "fragments nest too deep")
	out = ""
	while (match(text, /[{][{][a-z][a-z0-9_]*[}][}]/)) {
		at = RSTART
		len = RLENGTH
		name = substr(text, at + 2, len - 4)
		val = ""
		for (j = 1; j <= inlets[i]; j++)
			if (iletname[i, j] == name) {
				val = ilet[i, j]
				iletused[i, j] = 1
			}
		if (val == "") {
			if (!(name in byname) ||
			    ikind[byname[name]] != "fragment")
				failitem(i, "{{" name "}}: no such let or " \
				    "fragment")
			val = expand(ibody[byname[name]], i, depth + 1)
		}
		pre = out substr(text, 1, at - 1)
		col = length(pre)
		for (k = length(pre); k > 0; k--)
			if (substr(pre, k, 1) == "\n") {
				col = length(pre) - k
				break
			}
		gsub(/\n/, "\n" spaces(col), val)
		out = pre val
		text = substr(text, at + len)
	}
	return out text
}

# The column list of item i's returns header (comma-separated, into
# cols[]); returns the count.
function columns(i, depth,	list, parts, np, j, k, f, fn, m) {
	if (depth > 8)
		failitem(i, "fragments nest too deep")
	list = ihead[i, "returns"]
	if (list == "none")
		return 0
	np = split(list, parts, ",")
	m = 0
	for (j = 1; j <= np; j++) {
		parts[j] = trim(parts[j])
		if (parts[j] ~ /^[{][{][a-z][a-z0-9_]*[}][}]$/) {
			f = substr(parts[j], 3, length(parts[j]) - 4)
			if (!(f in byname) || ikind[byname[f]] != "fragment" ||
			    !((byname[f], "returns") in ihead))
				failitem(i, parts[j] ": no fragment with " \
				    "a returns header")
			fn = columns(byname[f], depth + 1)
			for (k = 1; k <= fn; k++)
				sub_cols[depth, k] = cols[k]
			for (k = 1; k <= fn; k++)
				tmp_cols[depth, ++m] = sub_cols[depth, k]
			continue
		}
		if (parts[j] !~ /^[a-z_][a-z0-9_]*$/)
			failitem(i, "bad column name \"" parts[j] "\"")
		tmp_cols[depth, ++m] = parts[j]
	}
	for (k = 1; k <= m; k++)
		cols[k] = tmp_cols[depth, k]
	return m
}

# The highest $n in text.
function maxparam(text,	m, v) {
	m = 0
	while (match(text, /[$][0-9]+/)) {
		v = substr(text, RSTART + 1, RLENGTH - 1) + 0
		if (v > m)
			m = v
		text = substr(text, RSTART + RLENGTH)
	}
	return m
}

# Statement i's text with each $n replaced by its value in bind.
function bound(i,	text, out, v, k, nb, parts, val) {
	split("", val)
	nb = split(bind, parts, " ")
	for (k = 1; k <= nb; k++)
		if (index(parts[k], "=") > 0)
			val[substr(parts[k], 1, index(parts[k], "=") - 1)] = \
			    substr(parts[k], index(parts[k], "=") + 1)
	text = sql[i]
	out = ""
	while (match(text, /[$][0-9]+/)) {
		v = iname[i] ":" substr(text, RSTART + 1, RLENGTH - 1)
		if (!(v in val))
			failitem(i, "bind has no value for " v)
		out = out substr(text, 1, RSTART - 1) val[v]
		text = substr(text, RSTART + RLENGTH)
	}
	return out text
}

function cstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	gsub(/\t/, "\\t", s)
	gsub(/\n/, "\\n", s)
	gsub(/[?][?]/, "?\\?", s)
	return "\"" s "\""
}

function csql(s, indent,	lines, nl, j, o) {
	nl = split(s, lines, "\n")
	o = ""
	for (j = 1; j <= nl; j++)
		o = o (j > 1 ? "\n" indent : "") \
		    cstr(lines[j] (j < nl ? "\n" : ""))
	return o
}

# Check statement i and compute its expanded text, columns, parameters.
function resolve(i,	k, np, seen, v, ps, j, roles, nr, keys) {
	split("role params returns policy", keys, " ")
	for (k = 1; k <= 4; k++)
		if (!((i, keys[k]) in ihead) || ihead[i, keys[k]] == "")
			failitem(i, "no " keys[k] " header")
	nr = split(ihead[i, "role"], roles, /[ ,]+/)
	for (k = 1; k <= nr; k++)
		if (roles[k] !~ /^second_[a-z]+$/)
			failitem(i, "bad role \"" roles[k] "\"")
	sql[i] = expand(ibody[i], i, 0)
	for (j = 1; j <= inlets[i]; j++)
		if (!iletused[i, j])
			failitem(i, "let " iletname[i, j] " is not used")
	ncols[i] = columns(i, 0)
	for (k = 1; k <= ncols[i]; k++) {
		col[i, k] = cols[k]
		for (j = 1; j < k; j++)
			if (col[i, j] == col[i, k])
				failitem(i, "column " cols[k] " twice")
	}
	np = maxparam(sql[i])
	nparams[i] = np
	ps = ihead[i, "params"]
	if (np == 0 && ps != "none")
		failitem(i, "params must be \"none\": the text has no $n")
	if (np > 0) {
		split("", seen)
		while (match(ps, /[$][0-9]+/)) {
			v = substr(ps, RSTART + 1, RLENGTH - 1) + 0
			if (v < 1 || v > np)
				failitem(i, "params names $" v \
				    ", the text has $1..$" np)
			seen[v] = 1
			ps = substr(ps, RSTART + RLENGTH)
		}
		for (v = 1; v <= np; v++)
			if (!(v in seen))
				failitem(i, "params does not describe $" v)
	}
	# One fragment's row: the readers use the fragment's constants.
	owner[i] = iname[i]
	if (ihead[i, "returns"] ~ /^[{][{][a-z][a-z0-9_]*[}][}]$/)
		owner[i] = ""
}

END {
	if (failed)
		exit 1
	finish()
	if (failed)
		exit 1
	if (out != "h" && out != "c" && out != "pgbench") {
		print "stmtgen: -v out=h, out=c or out=pgbench" | "cat 1>&2"
		exit 1
	}
	ns = 0
	for (i = 1; i <= n; i++) {
		if (ikind[i] == "fragment") {
			if ((i, "returns") in ihead) {
				ncols[i] = columns(i, 0)
				for (k = 1; k <= ncols[i]; k++)
					col[i, k] = cols[k]
				owner[i] = iname[i]
			}
			continue
		}
		resolve(i)
		if (failed)
			exit 1
		ns++
	}
	if (ns == 0) {
		print "stmtgen: no statements" | "cat 1>&2"
		exit 1
	}
	gen = "Generated by scripts/stmtgen.awk from sql/statements/: " \
	    "do not edit."
	if (out == "pgbench") {
		k = split(stmts, want, " ")
		if (k == 0) {
			print "stmtgen: out=pgbench needs -v stmts=..." | \
			    "cat 1>&2"
			exit 1
		}
		print "-- " gen
		for (j = 1; j <= k; j++) {
			if (!(want[j] in byname) ||
			    ikind[byname[want[j]]] != "statement") {
				print "stmtgen: no statement " want[j] | \
				    "cat 1>&2"
				exit 1
			}
			print bound(byname[want[j]]) ";"
			if (failed)
				exit 1
		}
		exit 0
	}
	if (out == "h") {
		print "/* stmt_gen.h: " gen " */"
		print "#ifndef SECOND_STMT_GEN_H"
		print "#define SECOND_STMT_GEN_H"
		print ""
		print "enum stmt {"
		first = 1
		for (i = 1; i <= n; i++) {
			if (ikind[i] != "statement")
				continue
			if (ifile[i] != lastfile)
				printf "\t/* %s */\n", ifile[i]
			lastfile = ifile[i]
			printf "\tST_%s%s,\n", toupper(iname[i]),
			    first ? " = 0" : ""
			first = 0
		}
		print "\tST__MAX"
		print "};"
		for (i = 1; i <= n; i++) {
			if (owner[i] == "" || ncols[i] == 0)
				continue
			u = toupper(iname[i])
			print ""
			printf "/* Result columns of %s %s (%s). */\n",
			    ikind[i], iname[i], ifile[i]
			printf "enum col_%s {\n", iname[i]
			for (k = 1; k <= ncols[i]; k++)
				printf "\tCOL_%s_%s%s,\n", u, toupper(col[i, k]),
				    k == 1 ? " = 0" : ""
			printf "\tCOL_%s__N\n", u
			print "};"
		}
		print ""
		print "#endif"
		exit 0
	}
	print "/* stmt_gen.c: " gen " */"
	print "#include \"config.h\""
	print ""
	print "#include <stddef.h>"
	print ""
	print "#include \"stmt.h\""
	for (i = 1; i <= n; i++) {
		if (ikind[i] != "statement" || ncols[i] == 0)
			continue
		printf "\nstatic const char *const cols_%s[] = {", iname[i]
		line = ""
		for (k = 1; k <= ncols[i]; k++) {
			w = cstr(col[i, k]) (k < ncols[i] ? "," : "")
			if (length(line) + length(w) + 9 > 72) {
				printf "%s", line
				line = ""
			}
			if (line == "")
				line = "\n\t" w
			else
				line = line " " w
		}
		print line
		print "};"
	}
	print ""
	print "const struct stmt_def stmt_defs[ST__MAX] = {"
	for (i = 1; i <= n; i++) {
		if (ikind[i] != "statement")
			continue
		printf "\t[ST_%s] = {\n", toupper(iname[i])
		printf "\t\t.sd_name = %s,\n", cstr(iname[i])
		printf "\t\t.sd_file = %s,\n", cstr(ifile[i])
		printf "\t\t.sd_role = %s,\n", cstr(ihead[i, "role"])
		printf "\t\t.sd_params = %s,\n", cstr(ihead[i, "params"])
		printf "\t\t.sd_policy = %s,\n", cstr(ihead[i, "policy"])
		printf "\t\t.sd_nparams = %d,\n", nparams[i]
		if (ncols[i] > 0)
			printf "\t\t.sd_cols = cols_%s,\n", iname[i]
		printf "\t\t.sd_ncols = %d,\n", ncols[i]
		printf "\t\t.sd_sql =\n\t\t    %s,\n", csql(sql[i], "\t\t    ")
		print "\t},"
	}
	print "};"
}
