/*
 * test_email: the one email rule (jsonin_email_ok) that onboarding,
 * invitations, provider sync, external identities and second-admin
 * share: ASCII dot-atom local part, LDH domain labels, so that no two
 * accepted emails differ only by a lookalike or invisible character.
 */
#include "config.h"

#include <CUnit/Basic.h>
#include <string.h>

#include "jsonin.h"
#include "unit.h"

static const struct unit_verdict emails[] = {
	{ "ada@example.test", true },
	{ "Ada.Lovelace@Example.TEST", true },
	{ "a+tag@mail.example.org", true },
	{ "o'neil@example.test", true },
	{ "x!#$%&'*+-/=?^_`{|}~@example.test", true },
	{ "a@b.c", true },
	{ "user@xn--mnchen-3ya.de", true },	/* IDNA A-label */
	{ "a@b-c.d-e.f", true },
	{ "", false },
	{ "@example.test", false },
	{ "ada@", false },
	{ "ada", false },
	{ "ada@localhost", false },
	{ "ada@@example.test", false },
	{ "a@b@example.test", false },
	{ ".ada@example.test", false },
	{ "ada.@example.test", false },
	{ "a..da@example.test", false },
	{ "ada@.example.test", false },
	{ "ada@example.test.", false },
	{ "ada@example..test", false },
	{ "ada@-example.test", false },
	{ "ada@example-.test", false },
	{ "ada@exa_mple.test", false },
	{ "ada@example.test ", false },
	{ " ada@example.test", false },
	{ "a da@example.test", false },
	{ "ada@example.test\t", false },
	{ "\"ada\"@example.test", false },
	{ "<ada@example.test>", false },
	{ "ada(x)@example.test", false },
	{ "a,b@example.test", false },
	{ "a;b@example.test", false },
	{ "a:b@example.test", false },
	{ "a\\b@example.test", false },
	{ "[a]@example.test", false },
	/* Lookalikes and invisibles. */
	{ "ad\xce\xbf@example.test", false },		/* Greek omicron */
	{ "ada@ex\xce\xbfmple.test", false },		/* ... in the domain */
	{ "ada@example.test\xe2\x80\x8b", false },	/* U+200B at the end */
	{ "\xef\xbb\xbf" "ada@example.test", false },	/* BOM */
	{ "ada\xe2\x80\xae@example.test", false },	/* U+202E */
	{ "\xd0\xb0" "da@example.test", false },	/* Cyrillic a */
	{ "caf\xc3\xa9@example.test", false },
	{ "ada@m\xc3\xbcnchen.de", false },		/* IDN U-label */
	{ "ada@example.test\x7f", false },
};

static void
test_emails(void)
{
	unit_check_verdicts(jsonin_email_ok, emails, UNIT_NCASES(emails));
}

static void
test_lengths(void)
{
	char	 e[300];

	/* A local part of 64 bytes is fine, 65 is not. */
	memset(e, 'a', 64);
	strcpy(e + 64, "@example.test");
	CU_ASSERT_TRUE(jsonin_email_ok(e));
	memset(e, 'a', 65);
	strcpy(e + 65, "@example.test");
	CU_ASSERT_FALSE(jsonin_email_ok(e));
	/* A domain label of 63 bytes is fine, 64 is not. */
	strcpy(e, "a@");
	memset(e + 2, 'b', 63);
	strcpy(e + 65, ".test");
	CU_ASSERT_TRUE(jsonin_email_ok(e));
	strcpy(e, "a@");
	memset(e + 2, 'b', 64);
	strcpy(e + 66, ".test");
	CU_ASSERT_FALSE(jsonin_email_ok(e));
	/* 254 bytes in total is fine, 255 is not: a@ + labels of 50. */
	strcpy(e, "a@");
	memset(e + 2, 'b', 252);
	e[52] = e[103] = e[154] = e[205] = '.';
	e[254] = '\0';
	CU_ASSERT_TRUE(jsonin_email_ok(e));
	e[254] = 'b';
	e[255] = '\0';
	CU_ASSERT_FALSE(jsonin_email_ok(e));
}

static const struct unit_case cases[] = {
	{ "email rule", test_emails },
	{ "length limits", test_lengths },
};

UNIT_MAIN("email", cases)
