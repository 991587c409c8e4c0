/*
 * test_conf: defaults, the file parser, environment overrides, secret
 * files, cross-key checks, the start-up refusals and the redacted dump.
 *
 * Loads that are expected to be refused run in a child process, so that a
 * crash on bad input is reported as a failure of that row instead of
 * ending the whole program.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "unit.h"

/* Every key, in table (alphabetical) order, with its variable. */
static const struct {
	const char	*key;
	const char	*env;
	const char	*dflt;	/* as --dump-config prints it */
	bool		 secret;
} keys[] = {
	{ "admin_database_url", "SECOND_ADMIN_DATABASE_URL", "dbname=second",
	    false },
	{ "auth_mode", "SECOND_AUTH_MODE", "none", false },
	{ "database_url", "SECOND_DATABASE_URL",
	    "dbname=second user=second_authenticator", false },
	{ "env", "SECOND_ENV", "development", false },
	{ "internal_api_token", "INTERNAL_API_TOKEN", "", true },
	{ "invitation_ttl", "SECOND_INVITATION_TTL", "1209600", false },
	{ "log_level", "SECOND_LOG_LEVEL", "info", false },
	{ "max_body", "SECOND_MAX_BODY", "1048576", false },
	{ "max_params", "SECOND_MAX_PARAMS", "200", false },
	{ "max_params_bytes", "SECOND_MAX_PARAMS_BYTES", "65536", false },
	{ "max_snapshot_body", "SECOND_MAX_SNAPSHOT_BODY", "12582912", false },
	{ "oauth_refresh_lock_timeout", "SECOND_OAUTH_REFRESH_LOCK_TIMEOUT", "35",
	    false },
	{ "provider", "SECOND_AUTH_PROVIDER", "", false },
	{ "provider_email_param", "SECOND_PROVIDER_EMAIL_PARAM", "", false },
	{ "provider_name_param", "SECOND_PROVIDER_NAME_PARAM", "", false },
	{ "provider_secret", "SECOND_PROVIDER_SECRET", "", true },
	{ "provider_token", "SECOND_PROVIDER_TOKEN", "", true },
	{ "provider_webhook_url", "SECOND_PROVIDER_WEBHOOK_URL", "", false },
	{ "public_url", "SECOND_PUBLIC_URL", "http://127.0.0.1:8080", false },
	{ "secrets_key", "SECOND_SECRETS_KEY", "", true },
	{ "secrets_previous_keys", "SECOND_SECRETS_KEY_PREVIOUS", "", true },
	{ "session_max_age", "SECOND_SESSION_MAX_AGE", "2592000", false },
	{ "session_previous_secrets", "SECOND_NO_AUTH_SESSION_PREVIOUS_SECRETS",
	    "", true },
	{ "session_secret", "SECOND_NO_AUTH_SESSION_SECRET", "", true },
};

#define S32	"0123456789abcdef0123456789ABCDEF"	/* 32 characters */
#define S40	S32 "ghijklmn"

static char	 tmpdir[256];
static int	 nfile;

/*
 * Unset every variable conf_load may read: those of the table above, and
 * any other SECOND_* (keys added later).
 */
static void
clear_env(void)
{
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(keys); i++)
		unsetenv(keys[i].env);
	unit_clear_env();
}

/* Make the per-run temporary directory (once). */
static const char *
tdir(void)
{
	const char	*base = getenv("TMPDIR");

	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof(tmpdir), "%s/test_conf.XXXXXX",
		    base != NULL && base[0] != '\0' ? base : "/tmp");
		CU_ASSERT_FATAL(mkdtemp(tmpdir) != NULL);
	}
	return tmpdir;
}

/*
 * Write "text" to a new file in the temp dir with "mode"; the path goes
 * to path[0..len).
 */
static void
write_file(char *path, size_t len, const char *text, mode_t mode)
{
	FILE	*fp;

	snprintf(path, len, "%s/f%d", tdir(), nfile++);
	fp = fopen(path, "w");
	CU_ASSERT_FATAL(fp != NULL);
	CU_ASSERT_FATAL(fputs(text, fp) >= 0 || text[0] == '\0');
	CU_ASSERT_FATAL(fclose(fp) == 0);
	CU_ASSERT_FATAL(chmod(path, mode) == 0);
}

/* conf_load of text written to a file (mode 0600), explicit path. */
static int
load_text(struct conf *cf, const char *text, char *err, size_t errlen)
{
	char	 path[512];

	write_file(path, sizeof(path), text, 0600);
	err[0] = '\0';
	return conf_load(cf, path, true, err, errlen);
}

/*
 * Run conf_load in a child.  Returns 0 if it accepted, 1 if it refused
 * with a message, 2 if it refused without one, -signal if it died, or
 * -1000 - status if it exited otherwise (a sanitizer report).
 */
static int
child_load(const char *path, bool explicit_path)
{
	struct conf	 cf;
	char		 err[512];
	pid_t		 pid;
	int		 st, rc;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		return -2000;
	if (pid == 0) {
		err[0] = '\0';
		rc = conf_load(&cf, path, explicit_path, err, sizeof(err));
		conf_free(&cf);
		/* Distinct codes: a sanitizer's exit(1) is not "refused". */
		_exit(rc == 0 ? 40 : err[0] != '\0' ? 41 : 42);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -2001;
	if (WIFSIGNALED(st))
		return -WTERMSIG(st);
	if (WIFEXITED(st) && WEXITSTATUS(st) >= 40 && WEXITSTATUS(st) <= 42)
		return WEXITSTATUS(st) - 40;
	return WIFEXITED(st) ? -1000 - WEXITSTATUS(st) : -2002;
}

static int
child_load_text(const char *text)
{
	char	 path[512];

	write_file(path, sizeof(path), text, 0600);
	return child_load(path, true);
}

static const char *
outcome(int rc)
{
	static char	 s[64];

	switch (rc) {
	case 0:
		return "accepted";
	case 1:
		return "refused";
	case 2:
		return "refused without a message";
	default:
		if (rc <= -2000)
			snprintf(s, sizeof(s), "fork or wait failed (%d)", rc);
		else if (rc <= -1000)
			snprintf(s, sizeof(s), "child failed (status %d)",
			    -rc - 1000);
		else
			snprintf(s, sizeof(s), "crashed (signal %d)", -rc);
		return s;
	}
}

/* ---------------------------------------------------------- defaults */

static void
test_defaults(void)
{
	struct conf	 cf;
	char		 err[256] = "";

	clear_env();
	CU_ASSERT_EQUAL_FATAL(conf_load(&cf, NULL, false, err, sizeof(err)),
	    0);
	CU_ASSERT_TRUE(unit_streq(cf.cf_admin_database_url, "dbname=second"));
	CU_ASSERT_EQUAL(cf.cf_auth_mode, AUTH_NONE);
	CU_ASSERT_TRUE(unit_streq(cf.cf_database_url,
	    "dbname=second user=second_authenticator"));
	CU_ASSERT_EQUAL(cf.cf_env, ENV_DEVELOPMENT);
	CU_ASSERT_PTR_NULL(cf.cf_internal_api_token);
	CU_ASSERT_EQUAL(cf.cf_invitation_ttl, 1209600);
	CU_ASSERT_EQUAL(cf.cf_log_level, LOG_INFO);
	CU_ASSERT_EQUAL(cf.cf_max_body, 1048576);
	CU_ASSERT_EQUAL(cf.cf_max_params, 200);
	CU_ASSERT_EQUAL(cf.cf_max_params_bytes, 65536);
	CU_ASSERT_EQUAL(cf.cf_max_snapshot_body, 12582912);
	CU_ASSERT_EQUAL(cf.cf_provider, PROVIDER_UNSET);
	CU_ASSERT_PTR_NULL(cf.cf_provider_email_param);
	CU_ASSERT_PTR_NULL(cf.cf_provider_name_param);
	CU_ASSERT_PTR_NULL(cf.cf_provider_secret);
	CU_ASSERT_PTR_NULL(cf.cf_provider_token);
	CU_ASSERT_PTR_NULL(cf.cf_provider_webhook_url);
	CU_ASSERT_TRUE(unit_streq(cf.cf_public_url, "http://127.0.0.1:8080"));
	CU_ASSERT_PTR_NULL(cf.cf_secrets_key);
	CU_ASSERT_EQUAL(cf.cf_session_max_age, 2592000);
	CU_ASSERT_PTR_NULL(cf.cf_session_previous_secrets);
	CU_ASSERT_PTR_NULL(cf.cf_session_secret);
	CU_ASSERT_FALSE(conf_public_https(&cf));
	CU_ASSERT_EQUAL(conf_startup_check(&cf, err, sizeof(err)), 0);
	conf_free(&cf);
	conf_free(&cf);		/* twice is safe */
}

/* A missing file is fine unless it was named explicitly. */
static void
test_missing_file(void)
{
	struct conf	 cf;
	char		 err[512] = "", path[512];

	clear_env();
	snprintf(path, sizeof(path), "%s/does-not-exist.conf", tdir());
	CU_ASSERT_EQUAL(conf_load(&cf, path, false, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(cf.cf_max_body, 1048576);
	conf_free(&cf);
	err[0] = '\0';
	CU_ASSERT_EQUAL(conf_load(&cf, path, true, err, sizeof(err)), -1);
	UNIT_CHECK(strstr(err, "does-not-exist.conf") != NULL,
	    "message names the file: %s", err);
	conf_free(&cf);
}

/* Capture conf_dump's output. */
static char *
dump(const struct conf *cf)
{
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&out, &len);
	CU_ASSERT_FATAL(fp != NULL);
	conf_dump(cf, fp);
	CU_ASSERT_FATAL(fclose(fp) == 0);
	return out;
}

/*
 * Find "key = value" in a dump; returns the value (in a static buffer)
 * or NULL if the key is missing.
 */
static const char *
dump_value(const char *text, const char *key)
{
	static char	 val[1024];
	const char	*line, *nl, *v;
	size_t		 klen = strlen(key), n;

	for (line = text; line != NULL && *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		if (strncmp(line, key, klen) == 0 &&
		    strncmp(line + klen, " =", 2) == 0) {
			v = line + klen + 2;
			if (v < nl && *v == ' ')
				v++;
			n = (size_t)(nl - v);
			if (n >= sizeof(val))
				n = sizeof(val) - 1;
			memcpy(val, v, n);
			val[n] = '\0';
			return val;
		}
		if (*nl == '\0')
			break;
	}
	return NULL;
}

/*
 * --dump-config of the defaults: every line is "key = value", keys in
 * strictly ascending order (the table is alphabetical, each key once),
 * every key above present with its default; and the dump is itself a
 * valid configuration that gives the same dump back.
 */
static void
test_dump_defaults(void)
{
	struct conf	 cf, cf2;
	char		 err[256] = "", path[512], *out, *out2;
	char		 prev[128] = "", key[128];
	const char	*v, *line, *nl;
	size_t		 i, klen, nlines = 0;

	clear_env();
	CU_ASSERT_EQUAL_FATAL(conf_load(&cf, NULL, false, err, sizeof(err)),
	    0);
	out = dump(&cf);
	CU_ASSERT_FATAL(out != NULL);
	for (i = 0; i < UNIT_NCASES(keys); i++) {
		v = dump_value(out, keys[i].key);
		UNIT_CHECK(unit_streq(v, keys[i].dflt), "%s: \"%s\" want "
		    "\"%s\"", keys[i].key, UNIT_S(v), keys[i].dflt);
	}
	for (line = out; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		CU_ASSERT_FATAL(nl != NULL);
		klen = strspn(line, "abcdefghijklmnopqrstuvwxyz_");
		UNIT_CHECK(klen > 0 && klen < sizeof(key) &&
		    strncmp(line + klen, " =", 2) == 0 &&
		    (line + klen + 2 == nl || line[klen + 2] == ' '),
		    "line %zu: %.*s", nlines + 1, (int)(nl - line), line);
		if (klen == 0 || klen >= sizeof(key))
			break;
		memcpy(key, line, klen);
		key[klen] = '\0';
		UNIT_CHECK(strcmp(prev, key) < 0, "line %zu: %s after %s",
		    nlines + 1, key, prev);
		memcpy(prev, key, klen + 1);
		nlines++;
	}
	CU_ASSERT_TRUE(nlines >= UNIT_NCASES(keys));

	write_file(path, sizeof(path), out, 0600);
	err[0] = '\0';
	UNIT_CHECK(conf_load(&cf2, path, true, err, sizeof(err)) == 0,
	    "dump does not load back: %s", err);
	out2 = dump(&cf2);
	CU_ASSERT_TRUE(unit_streq(out, out2));
	free(out);
	free(out2);
	conf_free(&cf);
	conf_free(&cf2);
}

/* ------------------------------------------------------------- files */

static void
test_file_parsing(void)
{
	struct conf	 cf;
	char		 err[512] = "";
	int		 rc;

	clear_env();
	rc = load_text(&cf,
	    "# second.conf for the tests\n"
	    "   # an indented comment\n"
	    "\n"
	    "\t\n"
	    "database_url = host=/tmp dbname=x\n"
	    "max_body=2048\n"
	    "  log_level   =   debug   \n"
	    "public_url = https://example.org\n"
	    "\tenv\t=\tproduction\n"
	    "auth_mode = external\n"
	    "provider = webserver\n"
	    "provider_email_param = SECOND_AUTH_EMAIL\n"
	    "provider_name_param = SECOND_AUTH_NAME\n"
	    "provider_webhook_url = https://hooks.example.org/x?a=1#f\n"
	    "provider_secret = " S32 "\n"
	    "session_max_age = 60\n"
	    "invitation_ttl = 1\n"
	    "max_params = 10000\n"
	    "max_params_bytes = 4096\n"
	    "max_snapshot_body = 268435456\n"
	    "internal_api_token = " S32 "\n"
	    "admin_database_url = dbname=admin",	/* no final newline */
	    err, sizeof(err));
	UNIT_CHECK(rc == 0, "refused: %s", err);
	CU_ASSERT_TRUE(unit_streq(cf.cf_database_url, "host=/tmp dbname=x"));
	CU_ASSERT_EQUAL(cf.cf_max_body, 2048);
	CU_ASSERT_EQUAL(cf.cf_log_level, LOG_DEBUG);
	CU_ASSERT_TRUE(unit_streq(cf.cf_public_url, "https://example.org"));
	CU_ASSERT_TRUE(conf_public_https(&cf));
	CU_ASSERT_EQUAL(cf.cf_env, ENV_PRODUCTION);
	CU_ASSERT_EQUAL(cf.cf_auth_mode, AUTH_EXTERNAL);
	CU_ASSERT_EQUAL(cf.cf_provider, PROVIDER_WEBSERVER);
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_email_param,
	    "SECOND_AUTH_EMAIL"));
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_name_param,
	    "SECOND_AUTH_NAME"));
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_secret, S32));
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_webhook_url,
	    "https://hooks.example.org/x?a=1#f"));
	CU_ASSERT_EQUAL(cf.cf_session_max_age, 60);
	CU_ASSERT_EQUAL(cf.cf_invitation_ttl, 1);
	CU_ASSERT_EQUAL(cf.cf_max_params, 10000);
	CU_ASSERT_EQUAL(cf.cf_max_params_bytes, 4096);
	CU_ASSERT_EQUAL(cf.cf_max_snapshot_body, 268435456);
	CU_ASSERT_TRUE(unit_streq(cf.cf_internal_api_token, S32));
	CU_ASSERT_TRUE(unit_streq(cf.cf_admin_database_url, "dbname=admin"));
	/* Untouched keys keep their defaults. */
	CU_ASSERT_EQUAL(cf.cf_session_secret, NULL);
	conf_free(&cf);

	/* CRLF line ends, and every enum name. */
	rc = load_text(&cf, "max_body = 4096\r\nauth_mode = none\r\n"
	    "env = development\r\nlog_level = error\r\n"
	    "provider = assertion\r\nprovider_secret = " S32 "\r\n", err,
	    sizeof(err));
	UNIT_CHECK(rc == 0, "CRLF refused: %s", err);
	CU_ASSERT_EQUAL(cf.cf_max_body, 4096);
	CU_ASSERT_EQUAL(cf.cf_auth_mode, AUTH_NONE);
	CU_ASSERT_EQUAL(cf.cf_env, ENV_DEVELOPMENT);
	CU_ASSERT_EQUAL(cf.cf_log_level, LOG_ERR);
	CU_ASSERT_EQUAL(cf.cf_provider, PROVIDER_ASSERTION);
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_secret, S32));
	conf_free(&cf);

	/* Range ends are inclusive. */
	rc = load_text(&cf, "max_body = 1024\nmax_params = 16\n"
	    "max_params_bytes = 1048576\nmax_snapshot_body = 1024\n"
	    "session_max_age = 34560000\nlog_level = warn\n", err,
	    sizeof(err));
	UNIT_CHECK(rc == 0, "range ends refused: %s", err);
	CU_ASSERT_EQUAL(cf.cf_max_body, 1024);
	CU_ASSERT_EQUAL(cf.cf_max_params, 16);
	CU_ASSERT_EQUAL(cf.cf_max_params_bytes, 1048576);
	CU_ASSERT_EQUAL(cf.cf_max_snapshot_body, 1024);
	CU_ASSERT_EQUAL(cf.cf_session_max_age, 34560000);
	CU_ASSERT_EQUAL(cf.cf_log_level, LOG_WARN);
	conf_free(&cf);

	/* "@" means a file only for secrets. */
	rc = load_text(&cf, "database_url = @/nonexistent\n", err,
	    sizeof(err));
	UNIT_CHECK(rc == 0, "refused: %s", err);
	CU_ASSERT_TRUE(unit_streq(cf.cf_database_url, "@/nonexistent"));
	conf_free(&cf);

	/* An empty file is the defaults. */
	rc = load_text(&cf, "", err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(cf.cf_max_body, 1048576);
	conf_free(&cf);
}

struct bad_case {
	const char	*text;
	const char	*mention;	/* the message must contain it */
};

static const struct bad_case bad_files[] = {
	/* unknown keys and syntax */
	{ "bogus_key = 1\n", "bogus_key" },
	{ "# ok\nmax_body = 2048\nbogus_key = 1\n", ":3" },
	{ "Max_Body = 2048\n", "Max_Body" },
	{ "max-body = 2048\n", "max-body" },
	{ "max_body 2048\n", NULL },
	{ "max_body\n", NULL },
	{ "= 2048\n", NULL },
	{ "[main]\n", NULL },
	{ "database_url\n", NULL },
	/* bad integers */
	{ "max_body = 12x\n", "max_body" },
	{ "max_body = \n", "max_body" },
	{ "max_body = 0x800\n", "max_body" },
	{ "max_body = 1e6\n", "max_body" },
	{ "max_body = 2048.0\n", "max_body" },
	{ "max_body = 2 048\n", "max_body" },
	{ "max_body = -2048\n", "max_body" },
	{ "max_body = 99999999999999999999999\n", "max_body" },
	{ "max_body = 2048 # comment\n", "max_body" },
	/* out of range */
	{ "max_body = 1023\n", "max_body" },
	{ "max_body = 67108865\n", "max_body" },
	{ "max_body = 0\n", "max_body" },
	{ "max_params = 15\n", "max_params" },
	{ "max_params = 10001\n", "max_params" },
	{ "max_params_bytes = 4095\n", "max_params_bytes" },
	{ "max_params_bytes = 1048577\n", "max_params_bytes" },
	{ "max_snapshot_body = 1023\n", "max_snapshot_body" },
	{ "max_snapshot_body = 268435457\n", "max_snapshot_body" },
	{ "session_max_age = 59\n", "session_max_age" },
	{ "session_max_age = 34560001\n", "session_max_age" },
	{ "invitation_ttl = 0\n", "invitation_ttl" },
	{ "invitation_ttl = 31536001\n", "invitation_ttl" },
	/* enums */
	{ "auth_mode = foo\n", "auth_mode" },
	{ "auth_mode = None\n", "auth_mode" },
	{ "auth_mode = \n", "auth_mode" },
	{ "auth_mode = external mode\n", "auth_mode" },
	{ "env = prod\n", "env" },
	{ "env = Production\n", "env" },
	{ "log_level = verbose\n", "log_level" },
	{ "log_level = INFO\n", "log_level" },
	{ "log_level = 1\n", "log_level" },
	{ "provider = saml\n", "provider" },
	{ "provider = WebServer\n", "provider" },
	/* cross-key rules */
	{ "session_secret = " "0123456789abcdef0123456789ABCDE" "\n",
	    "session_secret" },
	{ "session_secret = x\n", "session_secret" },
	{ "provider = assertion\n", "provider_secret" },
	{ "public_url = ftp://example.org\n", "public_url" },
	{ "public_url = example.org\n", "public_url" },
	{ "public_url = //example.org\n", "public_url" },
	{ "public_url = http:/example.org\n", "public_url" },
	{ "public_url = \n", "public_url" },
	{ "database_url = \n", "database_url" },
	{ "admin_database_url = \n", "admin_database_url" },
	/* identity never from a client header; webhooks signed, over https */
	{ "provider_email_param = HTTP_X_EMAIL\n", "provider_email_param" },
	{ "provider_name_param = HTTP_X_NAME\n", "provider_name_param" },
	{ "provider_webhook_url = https://hooks.example.org/x\n",
	    "provider_secret" },
	{ "provider_secret = " S32 "\n"
	    "provider_webhook_url = http://hooks.example.org/x\n",
	    "https" },
	/* secrets from files that do not exist */
	{ "session_secret = @/nonexistent/secret\n", "/nonexistent/secret" },
	{ "secrets_key = @\n", NULL },
};

static void
test_file_refused(void)
{
	struct conf	 cf;
	char		 err[1024];
	size_t		 i;
	int		 rc;

	clear_env();
	for (i = 0; i < UNIT_NCASES(bad_files); i++) {
		rc = child_load_text(bad_files[i].text);
		UNIT_CHECK(rc == 1, "row %zu \"%s\": %s", i,
		    bad_files[i].text, outcome(rc));
		if (rc != 1 || bad_files[i].mention == NULL)
			continue;
		rc = load_text(&cf, bad_files[i].text, err, sizeof(err));
		UNIT_CHECK(rc == -1 && strstr(err, bad_files[i].mention) !=
		    NULL, "row %zu: message \"%s\" does not mention %s", i,
		    err, bad_files[i].mention);
		conf_free(&cf);
	}
}

/*
 * A line longer than the reader's buffer is never split in two: the part
 * past 8191 bytes here reads "max_body = 2048", which must not take
 * effect.  Refusing the line, or keeping it whole, are both fine.
 */
static void
test_long_line(void)
{
	static const char	 head[] = "database_url = ";
	static const char	 tail[] = "max_body = 2048\n";
	struct conf		 cf;
	char			*text, err[512] = "";
	size_t			 split = 8191, len;
	int			 rc;

	clear_env();
	text = malloc(split + sizeof(tail) + 1);
	CU_ASSERT_FATAL(text != NULL);
	memset(text, 'a', split);
	memcpy(text, head, sizeof(head) - 1);
	memcpy(text + split, tail, sizeof(tail));
	len = strlen(text) - (sizeof(head) - 1) - 1;	/* the value */
	rc = load_text(&cf, text, err, sizeof(err));
	UNIT_CHECK(rc == -1 || (cf.cf_max_body == 1048576 &&
	    cf.cf_database_url != NULL && strlen(cf.cf_database_url) == len),
	    "long line split: rc %d max_body %lld", rc, cf.cf_max_body);
	conf_free(&cf);
	free(text);
}

/* A directory as the configuration file is refused. */
static void
test_dir_as_file(void)
{
	int	 rc;

	clear_env();
	rc = child_load(tdir(), true);
	UNIT_CHECK(rc == 1, "directory: %s", outcome(rc));
}

/* ------------------------------------------------------- environment */

/* With name=value in the environment, loading path is refused (exit 1). */
static void
env_refused(const char *path, const char *name, const char *value)
{
	int	 rc;

	setenv(name, value, 1);
	rc = child_load(path, true);
	UNIT_CHECK(rc == 1, "%s=\"%s\": %s", name, value, outcome(rc));
	unsetenv(name);
}

static void
test_env_overrides(void)
{
	struct conf	 cf;
	char		 err[512] = "", path[512];
	int		 rc;

	clear_env();
	write_file(path, sizeof(path), "max_body = 2048\n"
	    "public_url = https://file.example.org\nlog_level = debug\n",
	    0600);
	setenv("SECOND_MAX_BODY", "4096", 1);
	setenv("SECOND_LOG_LEVEL", "error", 1);
	setenv("SECOND_DATABASE_URL", "dbname=fromenv", 1);
	rc = conf_load(&cf, path, true, err, sizeof(err));
	UNIT_CHECK(rc == 0, "refused: %s", err);
	CU_ASSERT_EQUAL(cf.cf_max_body, 4096);
	CU_ASSERT_EQUAL(cf.cf_log_level, LOG_ERR);
	CU_ASSERT_TRUE(unit_streq(cf.cf_database_url, "dbname=fromenv"));
	CU_ASSERT_TRUE(unit_streq(cf.cf_public_url,
	    "https://file.example.org"));
	conf_free(&cf);

	/* A bad environment value is refused even if the file is fine. */
	setenv("SECOND_MAX_BODY", "abc", 1);
	rc = child_load(path, true);
	UNIT_CHECK(rc == 1, "SECOND_MAX_BODY=abc: %s", outcome(rc));
	err[0] = '\0';
	CU_ASSERT_EQUAL(conf_load(&cf, path, true, err, sizeof(err)), -1);
	UNIT_CHECK(strstr(err, "SECOND_MAX_BODY") != NULL, "message: %s",
	    err);
	conf_free(&cf);
	setenv("SECOND_MAX_BODY", "4096", 1);
	env_refused(path, "SECOND_ENV", "prod");
	env_refused(path, "SECOND_PUBLIC_URL", "");
	env_refused(path, "SECOND_DATABASE_URL", "");
	env_refused(path, "SECOND_PUBLIC_URL", "file:///etc/passwd");
	clear_env();

	/* Every key's variable is read. */
	setenv("SECOND_ADMIN_DATABASE_URL", "dbname=a", 1);
	setenv("SECOND_AUTH_MODE", "external", 1);
	setenv("SECOND_ENV", "production", 1);
	setenv("INTERNAL_API_TOKEN", S32, 1);
	setenv("SECOND_MAX_PARAMS", "300", 1);
	setenv("SECOND_MAX_PARAMS_BYTES", "8192", 1);
	setenv("SECOND_MAX_SNAPSHOT_BODY", "2048", 1);
	setenv("SECOND_AUTH_PROVIDER", "assertion", 1);
	setenv("SECOND_PROVIDER_EMAIL_PARAM", "E", 1);
	setenv("SECOND_PROVIDER_NAME_PARAM", "N", 1);
	setenv("SECOND_PROVIDER_SECRET", S40, 1);
	setenv("SECOND_PROVIDER_TOKEN", "ptok", 1);
	setenv("SECOND_PROVIDER_WEBHOOK_URL", "https://h.example.org", 1);
	setenv("SECOND_SECRETS_KEY", S32, 1);
	setenv("SECOND_SESSION_MAX_AGE", "120", 1);
	setenv("SECOND_INVITATION_TTL", "31536000", 1);
	setenv("SECOND_NO_AUTH_SESSION_PREVIOUS_SECRETS", "old1,old2", 1);
	setenv("SECOND_NO_AUTH_SESSION_SECRET", S40, 1);
	err[0] = '\0';
	rc = conf_load(&cf, NULL, false, err, sizeof(err));
	clear_env();
	UNIT_CHECK(rc == 0, "refused: %s", err);
	CU_ASSERT_TRUE(unit_streq(cf.cf_admin_database_url, "dbname=a"));
	CU_ASSERT_EQUAL(cf.cf_auth_mode, AUTH_EXTERNAL);
	CU_ASSERT_EQUAL(cf.cf_env, ENV_PRODUCTION);
	CU_ASSERT_TRUE(unit_streq(cf.cf_internal_api_token, S32));
	CU_ASSERT_EQUAL(cf.cf_max_params, 300);
	CU_ASSERT_EQUAL(cf.cf_max_params_bytes, 8192);
	CU_ASSERT_EQUAL(cf.cf_max_snapshot_body, 2048);
	CU_ASSERT_EQUAL(cf.cf_provider, PROVIDER_ASSERTION);
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_email_param, "E"));
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_name_param, "N"));
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_secret, S40));
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_token, "ptok"));
	CU_ASSERT_TRUE(unit_streq(cf.cf_provider_webhook_url,
	    "https://h.example.org"));
	CU_ASSERT_TRUE(unit_streq(cf.cf_secrets_key, S32));
	CU_ASSERT_EQUAL(cf.cf_session_max_age, 120);
	CU_ASSERT_EQUAL(cf.cf_invitation_ttl, 31536000);
	CU_ASSERT_TRUE(unit_streq(cf.cf_session_previous_secrets,
	    "old1,old2"));
	CU_ASSERT_TRUE(unit_streq(cf.cf_session_secret, S40));
	CU_ASSERT_EQUAL(conf_startup_check(&cf, err, sizeof(err)), 0);
	conf_free(&cf);
}

/* ----------------------------------------------------------- secrets */

struct secret_case {
	const char	*content;
	mode_t		 mode;
	bool		 ok;
	const char	*value;		/* when ok */
};

static const struct secret_case secret_cases[] = {
	{ S40 "\n", 0600, true, S40 },
	{ S40, 0600, true, S40 },
	{ S40 "\r\n", 0600, true, S40 },
	{ S40 "\n", 0400, true, S40 },
	{ S40 "\n", 0700, true, S40 },
	{ S40 "\n", 0644, false, NULL },
	{ S40 "\n", 0640, false, NULL },
	{ S40 "\n", 0604, false, NULL },
	{ S40 "\n", 0660, false, NULL },
	{ S40 "\n", 0666, false, NULL },
	{ S40 "\n", 0610, false, NULL },
	{ S40 "\n", 0601, false, NULL },
	{ "", 0600, false, NULL },
	{ "\n", 0600, false, NULL },
	{ "short\n", 0600, false, NULL },	/* < 32 for session_secret */
};

static void
test_secret_files(void)
{
	struct conf	 cf;
	char		 path[512], text[600], err[512];
	size_t		 i, via;
	int		 rc;

	for (i = 0; i < UNIT_NCASES(secret_cases); i++)
		for (via = 0; via < 2; via++) {
			clear_env();
			write_file(path, sizeof(path), secret_cases[i].content,
			    secret_cases[i].mode);
			snprintf(text, sizeof(text), "session_secret = @%s\n",
			    path);
			if (via == 1) {
				snprintf(text, sizeof(text), "@%s", path);
				setenv("SECOND_NO_AUTH_SESSION_SECRET", text, 1);
				text[0] = '\0';
			}
			rc = child_load_text(text);
			UNIT_CHECK(rc == (secret_cases[i].ok ? 0 : 1),
			    "row %zu mode %04o via %s: %s", i,
			    (unsigned int)secret_cases[i].mode,
			    via ? "env" : "file", outcome(rc));
			if (rc == 0 && secret_cases[i].ok) {
				rc = load_text(&cf, text, err, sizeof(err));
				UNIT_CHECK(rc == 0 && unit_streq(
				    cf.cf_session_secret,
				    secret_cases[i].value), "row %zu: value "
				    "\"%s\"", i, UNIT_S(cf.cf_session_secret));
				conf_free(&cf);
			}
		}
	clear_env();
}

/* Symlinks and non-regular files are refused as secret files. */
static void
test_secret_special_files(void)
{
	char	 target[512], link[600], text[700];
	int	 rc;

	clear_env();
	write_file(target, sizeof(target), S40 "\n", 0600);
	snprintf(link, sizeof(link), "%s.link", target);
	CU_ASSERT_FATAL(symlink(target, link) == 0);
	snprintf(text, sizeof(text), "session_secret = @%s\n", link);
	rc = child_load_text(text);
	UNIT_CHECK(rc == 1, "symlink: %s", outcome(rc));
	snprintf(text, sizeof(text), "session_secret = @%s\n", tdir());
	rc = child_load_text(text);
	UNIT_CHECK(rc == 1, "directory: %s", outcome(rc));
	rc = child_load_text("session_secret = @/dev/null\n");
	UNIT_CHECK(rc == 1, "/dev/null: %s", outcome(rc));
	unlink(link);
}

static void
test_session_secret_length(void)
{
	struct conf	 cf;
	char		 err[512] = "";
	int		 rc;

	clear_env();
	setenv("SECOND_NO_AUTH_SESSION_SECRET", "0123456789abcdef0123456789ABCDE",
	    1);
	rc = conf_load(&cf, NULL, false, err, sizeof(err));
	UNIT_CHECK(rc == -1, "31 characters accepted");
	UNIT_CHECK(strstr(err, "session_secret") != NULL ||
	    strstr(err, "SECOND_NO_AUTH_SESSION_SECRET") != NULL,
	    "message: %s", err);
	conf_free(&cf);
	setenv("SECOND_NO_AUTH_SESSION_SECRET", S32, 1);
	err[0] = '\0';
	rc = conf_load(&cf, NULL, false, err, sizeof(err));
	UNIT_CHECK(rc == 0, "32 characters refused: %s", err);
	CU_ASSERT_TRUE(unit_streq(cf.cf_session_secret, S32));
	conf_free(&cf);
	clear_env();
}

/* Each previous sealing key has 32 characters, and needs a current one. */
static void
test_secrets_previous_keys(void)
{
	static const struct {
		const char	*key, *previous;
		int		 rc;
	} cases[] = {
		{ S32, S40 "," S32, 0 },
		{ S32, S32 ",short", -1 },
		{ S32, S32 ",", -1 },
		{ NULL, S32, -1 },
	};
	struct conf	 cf;
	char		 err[512];
	size_t		 i;
	int		 rc;

	for (i = 0; i < UNIT_NCASES(cases); i++) {
		clear_env();
		if (cases[i].key != NULL)
			setenv("SECOND_SECRETS_KEY", cases[i].key, 1);
		setenv("SECOND_SECRETS_KEY_PREVIOUS", cases[i].previous, 1);
		err[0] = '\0';
		rc = conf_load(&cf, NULL, false, err, sizeof(err));
		UNIT_CHECK(rc == cases[i].rc, "case %zu: %d (%s)", i, rc, err);
		UNIT_CHECK(rc == 0 || strstr(err, "secrets_previous_keys") !=
		    NULL, "case %zu: message %s", i, err);
		conf_free(&cf);
	}
	clear_env();
}

static void
test_public_url(void)
{
	static const struct {
		const char	*url;
		bool		 ok, https;
	} urls[] = {
		{ "http://127.0.0.1:8080", true, false },
		{ "http://example.org", true, false },
		{ "https://example.org", true, true },
		{ "https://example.org:8443/base", true, true },
		{ "ftp://example.org", false, false },
		{ "example.org", false, false },
		{ "//example.org", false, false },
		{ "httpx://example.org", false, false },
		{ "https:example.org", false, false },
		{ " https://example.org", false, false },
		{ "javascript:alert(1)", false, false },
		{ "", false, false },
	};
	struct conf	 cf;
	char		 err[512];
	size_t		 i;
	int		 rc;

	for (i = 0; i < UNIT_NCASES(urls); i++) {
		clear_env();
		setenv("SECOND_PUBLIC_URL", urls[i].url, 1);
		rc = child_load(NULL, false);
		UNIT_CHECK(rc == (urls[i].ok ? 0 : 1), "\"%s\": %s",
		    urls[i].url, outcome(rc));
		if (rc != 0 || !urls[i].ok)
			continue;
		CU_ASSERT_EQUAL_FATAL(conf_load(&cf, NULL, false, err,
		    sizeof(err)), 0);
		UNIT_CHECK(conf_public_https(&cf) == urls[i].https,
		    "\"%s\": https %d", urls[i].url, conf_public_https(&cf));
		conf_free(&cf);
	}
	clear_env();
}

/* ------------------------------------------------------ startup check */

struct startup_case {
	const char	*name;
	const char	*env[6][2];	/* variable, value */
	int		 rc;
	const char	*mention;
};

static const struct startup_case startup_cases[] = {
	{ "defaults", { { NULL, NULL } }, 0, NULL },
	{ "external without provider",
	    { { "SECOND_AUTH_MODE", "external" } }, -1,
	    "SECOND_AUTH_PROVIDER" },
	{ "external with webserver", { { "SECOND_AUTH_MODE", "external" },
	    { "SECOND_AUTH_PROVIDER", "webserver" } }, 0, NULL },
	{ "external with assertion", { { "SECOND_AUTH_MODE", "external" },
	    { "SECOND_AUTH_PROVIDER", "assertion" },
	    { "SECOND_PROVIDER_SECRET", S40 } }, 0, NULL },
	{ "none with a provider", { { "SECOND_AUTH_PROVIDER", "webserver" } },
	    0, NULL },
	{ "production without token", { { "SECOND_ENV", "production" },
	    { "SECOND_SECRETS_KEY", S32 } }, -1, "INTERNAL_API_TOKEN" },
	{ "production with token, no key", { { "SECOND_ENV", "production" },
	    { "INTERNAL_API_TOKEN", S32 } }, -1, "SECOND_SECRETS_KEY" },
	{ "production with token and key", { { "SECOND_ENV", "production" },
	    { "INTERNAL_API_TOKEN", S32 }, { "SECOND_SECRETS_KEY", S40 } }, 0,
	    NULL },
	{ "production, external, no provider", { { "SECOND_ENV",
	    "production" }, { "INTERNAL_API_TOKEN", S32 },
	    { "SECOND_SECRETS_KEY", S40 }, { "SECOND_AUTH_MODE", "external" } },
	    -1, "SECOND_AUTH_PROVIDER" },
	{ "development needs neither", { { "SECOND_ENV", "development" } }, 0,
	    NULL },
};

static void
test_startup_check(void)
{
	const struct startup_case	*c;
	struct conf			 cf;
	char				 err[512];
	size_t				 i, j;
	int				 rc;

	for (i = 0; i < UNIT_NCASES(startup_cases); i++) {
		c = &startup_cases[i];
		clear_env();
		for (j = 0; j < 6 && c->env[j][0] != NULL; j++)
			setenv(c->env[j][0], c->env[j][1], 1);
		err[0] = '\0';
		rc = conf_load(&cf, NULL, false, err, sizeof(err));
		UNIT_CHECK(rc == 0, "%s: conf_load: %s", c->name, err);
		if (rc == 0) {
			err[0] = '\0';
			rc = conf_startup_check(&cf, err, sizeof(err));
			UNIT_CHECK(rc == c->rc, "%s: rc %d want %d (%s)",
			    c->name, rc, c->rc, err);
			if (c->mention != NULL)
				UNIT_CHECK(strstr(err, c->mention) != NULL,
				    "%s: message \"%s\" does not mention %s",
				    c->name, err, c->mention);
		}
		conf_free(&cf);
	}
	clear_env();
}

/* -------------------------------------------------------------- dump */

/* Set secrets print as "(redacted)", never their values. */
static void
test_dump_redacted(void)
{
	static const struct {
		const char	*env, *key, *value;
	} secrets[] = {
		{ "INTERNAL_API_TOKEN", "internal_api_token",
		    "tok-SENTINEL-internal-0001" },
		{ "SECOND_PROVIDER_SECRET", "provider_secret",
		    "psec-SENTINEL-0123456789abcdef0123456789" },
		{ "SECOND_PROVIDER_TOKEN", "provider_token",
		    "ptok-SENTINEL-0002" },
		{ "SECOND_SECRETS_KEY", "secrets_key",
		    "skey-SENTINEL-0123456789abcdef0123456789" },
		{ "SECOND_SECRETS_KEY_PREVIOUS", "secrets_previous_keys",
		    "oldk-SENTINEL-0123456789abcdef0123456789" },
		{ "SECOND_NO_AUTH_SESSION_PREVIOUS_SECRETS",
		    "session_previous_secrets",
		    "prev-SENTINEL-a,prev-SENTINEL-b" },
		{ "SECOND_NO_AUTH_SESSION_SECRET", "session_secret",
		    "sess-SENTINEL-0123456789abcdef0123456789" },
	};
	struct conf	 cf;
	char		 err[512] = "", path[512], ref[600], *out;
	const char	*v;
	size_t		 i;
	int		 rc;

	clear_env();
	for (i = 0; i < UNIT_NCASES(secrets); i++)
		setenv(secrets[i].env, secrets[i].value, 1);
	setenv("SECOND_AUTH_PROVIDER", "assertion", 1);
	rc = conf_load(&cf, NULL, false, err, sizeof(err));
	clear_env();
	UNIT_CHECK(rc == 0, "refused: %s", err);
	if (rc != 0) {
		conf_free(&cf);
		return;
	}
	out = dump(&cf);
	for (i = 0; i < UNIT_NCASES(secrets); i++) {
		v = dump_value(out, secrets[i].key);
		UNIT_CHECK(unit_streq(v, "(redacted)"), "%s = %s",
		    secrets[i].key, UNIT_S(v));
		UNIT_CHECK(strstr(out, secrets[i].value) == NULL,
		    "dump shows the value of %s", secrets[i].key);
	}
	CU_ASSERT_PTR_NULL(strstr(out, "SENTINEL"));
	CU_ASSERT_TRUE(unit_streq(dump_value(out, "provider"), "assertion"));
	free(out);
	conf_free(&cf);

	/* A secret read from a file: neither its value nor its path shows. */
	write_file(path, sizeof(path), "file-SENTINEL-0123456789abcdef012345\n",
	    0600);
	snprintf(ref, sizeof(ref), "@%s", path);
	setenv("SECOND_NO_AUTH_SESSION_SECRET", ref, 1);
	err[0] = '\0';
	rc = conf_load(&cf, NULL, false, err, sizeof(err));
	clear_env();
	UNIT_CHECK(rc == 0, "refused: %s", err);
	out = dump(&cf);
	CU_ASSERT_TRUE(unit_streq(dump_value(out, "session_secret"),
	    "(redacted)"));
	CU_ASSERT_PTR_NULL(strstr(out, "SENTINEL"));
	/* Unset secrets stay empty, not "(redacted)". */
	CU_ASSERT_TRUE(unit_streq(dump_value(out, "secrets_key"), ""));
	CU_ASSERT_TRUE(unit_streq(dump_value(out, "internal_api_token"), ""));
	free(out);
	conf_free(&cf);
}

/* Remove the temp dir. */
static void
test_cleanup(void)
{
	char	 path[512];
	int	 i;

	clear_env();
	for (i = 0; i < nfile; i++) {
		snprintf(path, sizeof(path), "%s/f%d", tdir(), i);
		CU_ASSERT_EQUAL(unlink(path), 0);
	}
	CU_ASSERT_EQUAL(rmdir(tdir()), 0);
}

static const struct unit_case cases[] = {
	{ "defaults", test_defaults },
	{ "missing file", test_missing_file },
	{ "dump of defaults", test_dump_defaults },
	{ "file parsing", test_file_parsing },
	{ "bad files refused", test_file_refused },
	{ "long line", test_long_line },
	{ "directory as file", test_dir_as_file },
	{ "environment overrides file", test_env_overrides },
	{ "secret files", test_secret_files },
	{ "secret special files", test_secret_special_files },
	{ "session_secret length", test_session_secret_length },
	{ "secrets_previous_keys", test_secrets_previous_keys },
	{ "public_url", test_public_url },
	{ "startup check", test_startup_check },
	{ "dump redacts secrets", test_dump_redacted },
	{ "cleanup", test_cleanup },
};

UNIT_MAIN("conf", cases)
