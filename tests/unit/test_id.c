/*
 * test_id: the shapes of id.h: an entity id is exactly 24 lowercase hex
 * characters, and a name 1..ID_NAME_MAX ASCII letters, digits, '_' or
 * '-' (^[A-Za-z0-9_-]{1,64}$), with nothing else accepted.
 */
#include "config.h"

#include <sodium.h>

#include "id.h"
#include "unit.h"

static void
test_id(void)
{
	char	 id[ID_LEN + 1];

	CU_ASSERT_FATAL(sodium_init() >= 0);
	id_new(id);
	CU_ASSERT_EQUAL(strlen(id), ID_LEN);
	CU_ASSERT_TRUE(id_valid(id));
	CU_ASSERT_TRUE(id_valid("0123456789abcdef01234567"));
	CU_ASSERT_FALSE(id_valid("0123456789ABCDEF01234567"));
	CU_ASSERT_FALSE(id_valid("0123456789abcdef0123456"));
	CU_ASSERT_FALSE(id_valid("0123456789abcdef012345678"));
	CU_ASSERT_FALSE(id_valid("0123456789abcdef0123456g"));
}

static void
test_name(void)
{
	static const char *const good[] = {
		"a", "Z", "0", "_", "-", "notes", "My-Tool_2", "github",
	};
	static const char *const bad[] = {
		"", "a b", "a.b", "a/b", "a:b", "a\tb", "caf\xc3\xa9",
	};
	char	 s[ID_NAME_MAX + 2];
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(good); i++)
		UNIT_CHECK(id_name_ok(good[i]), "good %zu", i);
	for (i = 0; i < UNIT_NCASES(bad); i++)
		UNIT_CHECK(!id_name_ok(bad[i]), "bad %zu", i);
	/* Every byte but the 64 allowed is refused. */
	for (i = 1; i < 256; i++) {
		bool	 ok = (i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') ||
		    (i >= '0' && i <= '9') || i == '_' || i == '-';

		s[0] = (char)i;
		s[1] = '\0';
		UNIT_CHECK(id_name_ok(s) == ok, "byte %zu", i);
	}
	memset(s, 'x', ID_NAME_MAX);
	s[ID_NAME_MAX] = '\0';
	CU_ASSERT_TRUE(id_name_ok(s));
	s[ID_NAME_MAX] = 'x';
	s[ID_NAME_MAX + 1] = '\0';
	CU_ASSERT_FALSE(id_name_ok(s));
}

static const struct unit_case cases[] = {
	{ "entity ids", test_id },
	{ "names", test_name },
};

UNIT_MAIN("id", cases)
