/*
 * test_files: the draft file path rule (files_path_ok: portable
 * filename characters, agents.json reserved in any case), the app
 * visibility rule in C (apps_visible is covered end to end; the path rule
 * is pure and table-driven here) and the draft's limits (files_use_add,
 * files_over).
 */
#include "config.h"

#include <CUnit/Basic.h>
#include <string.h>

#include "apps.h"
#include "unit.h"

static const struct unit_verdict paths[] = {
	{ "index.html", true },
	{ "src/app.js", true },
	{ "a/b/c/d.txt", true },
	{ "agents.json", true },
	{ ".env", true },
	{ "a..b", true },
	{ "...", true },
	{ "A-Z_a-z.0-9", true },
	{ "-_.", true },
	{ "src/Agents.json", true },	/* only the root agents.json is reserved */
	{ "agents.json.bak", true },
	{ "", false },
	{ "/etc/passwd", false },
	{ "../x", false },
	{ "a/../b", false },
	{ "a/..", false },
	{ "..", false },
	{ ".", false },
	{ "./a", false },
	{ "a/./b", false },
	{ "a//b", false },
	{ "a/", false },
	{ "a\\b", false },
	{ "a\x01" "b", false },
	{ "a\tb", false },
	{ "a\x7f", false },
	/* Names that look alike: only the portable filename characters. */
	{ "caf\xc3\xa9.txt", false },		/* NFC e-acute */
	{ "cafe\xcc\x81.txt", false },	/* NFD e + combining acute */
	{ "a\xe2\x80\xaetxt.exe", false },	/* U+202E RIGHT-TO-LEFT OVERRIDE */
	{ "a\xe2\x80\x8b.txt", false },	/* U+200B ZERO WIDTH SPACE */
	{ "\xef\xbb\xbf" "index.html", false }, /* U+FEFF BOM */
	{ "\xd0\xb0pp.js", false },		/* Cyrillic a */
	{ "a b.txt", false },
	{ "agents.json ", false },
	{ " agents.json", false },
	{ "%2e%2e", false },
	{ "a%20b.txt", false },
	{ "a:b", false },
	{ "a~b", false },
	{ "a*b", false },
	{ "\xff", false },
	/* The reserved name in another ASCII case. */
	{ "Agents.json", false },
	{ "AGENTS.JSON", false },
	{ "agents.Json", false },
};

static void
test_paths(void)
{
	unit_check_verdicts(files_path_ok, paths, UNIT_NCASES(paths));
}

/*
 * Every byte between "a" and "b": allowed exactly for [A-Za-z0-9._-] and
 * the separator "/".
 */
static void
test_bytes(void)
{
	char	 p[4] = "a?b";
	int	 c;
	bool	 want;

	for (c = 1; c < 256; c++) {
		p[1] = (char)c;
		want = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-' || c == '/';
		UNIT_CHECK(files_path_ok(p) == want, "byte 0x%02x: want %s",
		    c, want ? "ok" : "refused");
	}
}

static void
test_lengths(void)
{
	char	 p[600];

	/* One segment of 255 bytes is fine, 256 is not. */
	memset(p, 'a', 255);
	p[255] = '\0';
	CU_ASSERT_TRUE(files_path_ok(p));
	memset(p, 'a', 256);
	p[256] = '\0';
	CU_ASSERT_FALSE(files_path_ok(p));
	/* 512 bytes in total is fine, 513 is not. */
	memset(p, 'a', 512);
	p[200] = p[400] = '/';
	p[512] = '\0';
	CU_ASSERT_TRUE(files_path_ok(p));
	memset(p, 'a', 513);
	p[200] = p[400] = '/';
	p[513] = '\0';
	CU_ASSERT_FALSE(files_path_ok(p));
}

static void
test_use(void)
{
	struct files_use	 u = { 0, 0 };

	/* An empty file is not free: its path and the fixed overhead. */
	files_use_add(&u, strlen("a.txt"), 0);
	CU_ASSERT_EQUAL(u.fu_files, 1);
	CU_ASSERT_EQUAL(u.fu_bytes, 5 + FILES_ENTRY_BYTES);
	files_use_add(&u, 300, 1000);
	CU_ASSERT_EQUAL(u.fu_files, 2);
	CU_ASSERT_EQUAL(u.fu_bytes, 5 + 300 + 1000 + 2 * FILES_ENTRY_BYTES);
}

/* files_over with at most 3 files and 1000 bytes. */
static const struct {
	long long		 bf, bb, af, ab;	/* before, after */
	enum files_limit	 want;
} overs[] = {
	{ 0, 0, 1, 1000, FL_OK },	/* exactly at both limits */
	{ 2, 500, 3, 600, FL_OK },
	{ 3, 600, 4, 700, FL_FILES },	/* a fourth file */
	{ 3, 999, 4, 1100, FL_FILES },	/* both: the count is named */
	{ 3, 600, 3, 1001, FL_BYTES },	/* growing a file past the bytes */
	{ 0, 0, 1, 1001, FL_BYTES },
	{ 5, 600, 5, 700, FL_OK },	/* over a lowered cap, not growing */
	{ 5, 600, 4, 500, FL_OK },	/* deleting */
	{ 5, 600, 6, 700, FL_FILES },	/* over the cap and growing */
	{ 2, 2000, 2, 1500, FL_OK },	/* shrinking, still over */
	{ 2, 2000, 2, 2000, FL_OK },	/* the same size, over */
	{ 2, 2000, 2, 2001, FL_BYTES },	/* over and growing */
};

static void
test_over(void)
{
	struct files_use	 b, a;
	size_t			 i;

	for (i = 0; i < UNIT_NCASES(overs); i++) {
		b.fu_files = overs[i].bf;
		b.fu_bytes = overs[i].bb;
		a.fu_files = overs[i].af;
		a.fu_bytes = overs[i].ab;
		UNIT_CHECK(files_over(&b, &a, 3, 1000) == overs[i].want,
		    "case %zu: %lld/%lld -> %lld/%lld: want %d", i,
		    overs[i].bf, overs[i].bb, overs[i].af, overs[i].ab,
		    (int)overs[i].want);
	}
}

static const struct unit_case cases[] = {
	{ "path rules", test_paths },
	{ "path bytes", test_bytes },
	{ "length limits", test_lengths },
	{ "snapshot use", test_use },
	{ "snapshot limits", test_over },
};

UNIT_MAIN("files", cases)
