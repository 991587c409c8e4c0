/*
 * test_files: the draft file path rule (files_path_ok) and the app
 * visibility rule in C (apps_visible is covered end to end; the path rule
 * is pure and table-driven here).
 */
#include "config.h"

#include <CUnit/Basic.h>
#include <string.h>

#include "apps.h"
#include "unit.h"

static const struct {
	const char	*path;
	bool		 ok;
} paths[] = {
	{ "index.html", true },
	{ "src/app.js", true },
	{ "a/b/c/d.txt", true },
	{ "agents.json", true },
	{ ".env", true },
	{ "a..b", true },
	{ "...", true },
	{ "caf\xc3\xa9.txt", true },
	{ "a b.txt", true },
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
};

static void
test_paths(void)
{
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(paths); i++)
		UNIT_CHECK(files_path_ok(paths[i].path) == paths[i].ok,
		    "\"%s\": want %s", paths[i].path, paths[i].ok ? "ok" :
		    "refused");
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

static const struct unit_case cases[] = {
	{ "path rules", test_paths },
	{ "length limits", test_lengths },
};

UNIT_MAIN("files", cases)
