/*
 * conf: one declarative table of every configuration key (see conf.h and
 * second.conf(5)).  Adding a key means adding a row here, a field in
 * struct conf and an entry in second.conf(5); tests/check-docs.test fails
 * if the man page misses a key.
 *
 * Security settings fail closed: an unknown key, an unparsable value or a
 * secret file readable by others refuses the whole configuration.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "egress.h"
#include "log.h"

enum conf_type {
	CF_STR,		/* string */
	CF_SECRET,	/* string, may be @file, redacted in dumps */
	CF_INT,		/* integer within [min, max] */
	CF_ENUM,	/* one of a list of names, stored as its index */
};

struct conf_key {
	const char		*ck_name;	/* file key */
	const char		*ck_env;	/* environment variable */
	enum conf_type		 ck_type;
	size_t			 ck_off;	/* offset in struct conf */
	const char		*ck_default;	/* NULL: unset */
	long long		 ck_min, ck_max;	/* CF_INT */
	const char *const	*ck_names;	/* CF_ENUM, NULL-terminated */
};

static const char *const auth_modes[] = { "none", "external", NULL };
static const char *const providers[] = { "", "webserver", "assertion", NULL };
static const char *const envs[] = { "development", "production", NULL };
static const char *const levels[] = { "debug", "info", "warn", "error", NULL };

#define OFF(f)	offsetof(struct conf, f)

/* Alphabetical by file key. */
static const struct conf_key conf_keys[] = {
	{ "admin_database_url", "SECOND_ADMIN_DATABASE_URL", CF_STR,
	    OFF(cf_admin_database_url), "dbname=second", 0, 0, NULL },
	{ "auth_mode", "SECOND_AUTH_MODE", CF_ENUM,
	    OFF(cf_auth_mode), "none", 0, 0, auth_modes },
	{ "database_url", "SECOND_DATABASE_URL", CF_STR,
	    OFF(cf_database_url), "dbname=second user=second_authenticator",
	    0, 0, NULL },
	{ "egress_allow_cidrs", "SECOND_EGRESS_ALLOW_CIDRS", CF_STR,
	    OFF(cf_egress_allow_cidrs), NULL, 0, 0, NULL },
	{ "egress_ca_file", "SECOND_EGRESS_CA_FILE", CF_STR,
	    OFF(cf_egress_ca_file), NULL, 0, 0, NULL },
	{ "egress_timeout", "SECOND_EGRESS_TIMEOUT", CF_INT,
	    OFF(cf_egress_timeout), "30", 1, 30, NULL },
	{ "env", "SECOND_ENV", CF_ENUM,
	    OFF(cf_env), "development", 0, 0, envs },
	{ "internal_api_token", "INTERNAL_API_TOKEN", CF_SECRET,
	    OFF(cf_internal_api_token), NULL, 0, 0, NULL },
	{ "invitation_ttl", "SECOND_INVITATION_TTL", CF_INT,
	    OFF(cf_invitation_ttl), "1209600", 1, 365LL * 86400, NULL },
	{ "log_level", "SECOND_LOG_LEVEL", CF_ENUM,
	    OFF(cf_log_level), "info", 0, 0, levels },
	{ "max_body", "SECOND_MAX_BODY", CF_INT,
	    OFF(cf_max_body), "1048576", 1024, 64LL << 20, NULL },
	{ "max_params", "SECOND_MAX_PARAMS", CF_INT,
	    OFF(cf_max_params), "200", 16, 10000, NULL },
	{ "max_params_bytes", "SECOND_MAX_PARAMS_BYTES", CF_INT,
	    OFF(cf_max_params_bytes), "65536", 4096, 1LL << 20, NULL },
	{ "max_snapshot_body", "SECOND_MAX_SNAPSHOT_BODY", CF_INT,
	    OFF(cf_max_snapshot_body), "12582912", 1024, 256LL << 20, NULL },
	{ "max_snapshot_files", "SECOND_MAX_SNAPSHOT_FILES", CF_INT,
	    OFF(cf_max_snapshot_files), "1000", 1, 100000, NULL },
	{ "oauth_refresh_lock_timeout", "SECOND_OAUTH_REFRESH_LOCK_TIMEOUT",
	    CF_INT, OFF(cf_oauth_refresh_lock_timeout), "35", 1, 300, NULL },
	{ "provider", "SECOND_AUTH_PROVIDER", CF_ENUM,
	    OFF(cf_provider), "", 0, 0, providers },
	{ "provider_email_param", "SECOND_PROVIDER_EMAIL_PARAM", CF_STR,
	    OFF(cf_provider_email_param), NULL, 0, 0, NULL },
	{ "provider_name_param", "SECOND_PROVIDER_NAME_PARAM", CF_STR,
	    OFF(cf_provider_name_param), NULL, 0, 0, NULL },
	{ "provider_secret", "SECOND_PROVIDER_SECRET", CF_SECRET,
	    OFF(cf_provider_secret), NULL, 0, 0, NULL },
	{ "provider_token", "SECOND_PROVIDER_TOKEN", CF_SECRET,
	    OFF(cf_provider_token), NULL, 0, 0, NULL },
	{ "provider_webhook_url", "SECOND_PROVIDER_WEBHOOK_URL", CF_STR,
	    OFF(cf_provider_webhook_url), NULL, 0, 0, NULL },
	{ "public_url", "SECOND_PUBLIC_URL", CF_STR,
	    OFF(cf_public_url), "http://127.0.0.1:8080", 0, 0, NULL },
	{ "secrets_key", "SECOND_SECRETS_KEY", CF_SECRET,
	    OFF(cf_secrets_key), NULL, 0, 0, NULL },
	{ "secrets_previous_keys", "SECOND_SECRETS_KEY_PREVIOUS", CF_SECRET,
	    OFF(cf_secrets_previous_keys), NULL, 0, 0, NULL },
	{ "session_max_age", "SECOND_SESSION_MAX_AGE", CF_INT,
	    OFF(cf_session_max_age), "2592000", 60, 400LL * 86400, NULL },
	{ "session_previous_secrets", "SECOND_NO_AUTH_SESSION_PREVIOUS_SECRETS",
	    CF_SECRET, OFF(cf_session_previous_secrets), NULL, 0, 0, NULL },
	{ "session_secret", "SECOND_NO_AUTH_SESSION_SECRET", CF_SECRET,
	    OFF(cf_session_secret), NULL, 0, 0, NULL },
	{ "worker_url", "WORKER_URL", CF_STR,
	    OFF(cf_worker_url), NULL, 0, 0, NULL },
};

#define NKEYS	(sizeof(conf_keys) / sizeof(conf_keys[0]))

static void
seterr(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

static char **
str_field(struct conf *cf, const struct conf_key *k)
{
	return (char **)(void *)((char *)cf + k->ck_off);
}

static const char *
str_field_c(const struct conf *cf, const struct conf_key *k)
{
	return *(char *const *)(const void *)((const char *)cf + k->ck_off);
}

/*
 * Read a secret from "@path": the file must be a regular file with no
 * access for group or others.  One trailing newline is dropped.  Returns
 * an allocated string or NULL with errbuf set.
 */
static char *
secret_from_file(const char *path, char *errbuf, size_t errlen)
{
	struct stat	 st;
	struct buf	 b = BUF_INIT;
	char		 chunk[4096];
	char		*out = NULL;
	ssize_t		 n;
	int		 fd = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		seterr(errbuf, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		seterr(errbuf, errlen, "%s: not a regular file", path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		seterr(errbuf, errlen, "%s: mode must be 0600 or stricter", path);
		goto out;
	}
	buf_init(&b, 64 * 1024);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	if (n < 0 || !buf_ok(&b)) {
		seterr(errbuf, errlen, "%s: cannot read", path);
		goto out;
	}
	if (b.b_len > 0 && b.b_data[b.b_len - 1] == '\n')
		b.b_data[--b.b_len] = '\0';
	if (b.b_len > 0 && b.b_data[b.b_len - 1] == '\r')
		b.b_data[--b.b_len] = '\0';
	if (b.b_len == 0 || strlen(b.b_data) != b.b_len) {
		seterr(errbuf, errlen, "%s: empty or contains NUL", path);
		goto out;
	}
	out = buf_steal(&b);
out:
	buf_free(&b);
	if (fd != -1)
		close(fd);
	return out;
}

/*
 * Store "value" (from "origin", for messages) into key k of cf.
 * Returns 0 or -1 with errbuf set.
 */
static int
conf_set(struct conf *cf, const struct conf_key *k, const char *value,
    const char *origin, char *errbuf, size_t errlen)
{
	char		**sp, *copy = NULL, *end;
	long long	  v;
	int		  i;

	switch (k->ck_type) {
	case CF_STR:
	case CF_SECRET:
		if (k->ck_type == CF_SECRET && value[0] == '@') {
			if ((copy = secret_from_file(value + 1, errbuf,
			    errlen)) == NULL)
				return -1;
		} else if ((copy = strdup(value)) == NULL) {
			seterr(errbuf, errlen, "out of memory");
			return -1;
		}
		sp = str_field(cf, k);
		free(*sp);
		*sp = copy[0] == '\0' ? (free(copy), NULL) : copy;
		return 0;
	case CF_INT:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' ||
		    v < k->ck_min || v > k->ck_max) {
			seterr(errbuf, errlen, "%s: %s must be an integer "
			    "from %lld to %lld", origin, k->ck_name,
			    k->ck_min, k->ck_max);
			return -1;
		}
		*(long long *)(void *)((char *)cf + k->ck_off) = v;
		return 0;
	case CF_ENUM:
		for (i = 0; k->ck_names[i] != NULL; i++)
			if (strcmp(k->ck_names[i], value) == 0) {
				*(int *)(void *)((char *)cf + k->ck_off) = i;
				return 0;
			}
		seterr(errbuf, errlen, "%s: %s: unknown value", origin,
		    k->ck_name);
		return -1;
	}
	return -1;
}

static const struct conf_key *
conf_key_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(conf_keys[i].ck_name, name) == 0)
			return &conf_keys[i];
	return NULL;
}

/* Trim ASCII white space at both ends, in place. */
static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/*
 * Read "key = value" lines from path into cf.  Returns 0, 1 when the file
 * does not exist (and that is allowed), or -1 with errbuf set.
 */
static int
conf_read_file(struct conf *cf, const char *path, bool explicit_path,
    char *errbuf, size_t errlen)
{
	const struct conf_key	*k;
	FILE			*fp = NULL;
	char			 line[8192], origin[PATH_MAX + 32];
	char			*p, *eq, *key, *val;
	int			 lineno = 0, rc = -1;

	if ((fp = fopen(path, "re")) == NULL) {
		if (errno == ENOENT && !explicit_path) {
			rc = 1;
			goto out;
		}
		seterr(errbuf, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		snprintf(origin, sizeof(origin), "%s:%d", path, lineno);
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			seterr(errbuf, errlen, "%s: line too long", origin);
			goto out;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			seterr(errbuf, errlen, "%s: expected key = value",
			    origin);
			goto out;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if ((k = conf_key_find(key)) == NULL) {
			seterr(errbuf, errlen, "%s: unknown key \"%s\"",
			    origin, key);
			goto out;
		}
		if (conf_set(cf, k, val, origin, errbuf, errlen) == -1)
			goto out;
	}
	if (ferror(fp)) {
		seterr(errbuf, errlen, "%s: read error", path);
		goto out;
	}
	rc = 0;
out:
	if (fp != NULL)
		fclose(fp);
	return rc;
}

/* True when every item of the comma list s (NULL: none) has min bytes. */
static bool
list_items_min(const char *s, size_t min)
{
	const char	*comma;

	for (; s != NULL; s = comma ? comma + 1 : NULL) {
		comma = strchr(s, ',');
		if ((comma ? (size_t)(comma - s) : strlen(s)) < min)
			return false;
	}
	return true;
}

/*
 * Cross-key validation of a loaded configuration.
 */
static int
conf_validate(const struct conf *cf, char *errbuf, size_t errlen)
{
	struct egress_cidr	 cidrs[EGRESS_MAX_CIDRS];
	size_t			 ncidrs, i;

	/* A string key with a default may not be set to empty. */
	for (i = 0; i < NKEYS; i++)
		if (conf_keys[i].ck_type == CF_STR &&
		    conf_keys[i].ck_default != NULL &&
		    str_field_c(cf, &conf_keys[i]) == NULL) {
			seterr(errbuf, errlen, "%s may not be empty",
			    conf_keys[i].ck_name);
			return -1;
		}

	if (strncmp(cf->cf_public_url, "http://", 7) != 0 &&
	    strncmp(cf->cf_public_url, "https://", 8) != 0) {
		seterr(errbuf, errlen, "public_url must start with http:// "
		    "or https://");
		return -1;
	}
	if (cf->cf_worker_url != NULL &&
	    strncmp(cf->cf_worker_url, "http://", 7) != 0 &&
	    strncmp(cf->cf_worker_url, "https://", 8) != 0) {
		seterr(errbuf, errlen, "worker_url must start with http:// "
		    "or https://");
		return -1;
	}
	if (cf->cf_session_secret != NULL &&
	    strlen(cf->cf_session_secret) < 32) {
		seterr(errbuf, errlen, "session_secret "
		    "(SECOND_NO_AUTH_SESSION_SECRET) must have at least 32 "
		    "characters");
		return -1;
	}
	if (cf->cf_internal_api_token != NULL &&
	    strlen(cf->cf_internal_api_token) < 16) {
		seterr(errbuf, errlen, "internal_api_token must have at "
		    "least 16 characters");
		return -1;
	}
	if (cf->cf_provider == PROVIDER_ASSERTION &&
	    (cf->cf_provider_secret == NULL ||
	    strlen(cf->cf_provider_secret) < 32)) {
		seterr(errbuf, errlen, "provider = assertion needs "
		    "provider_secret of at least 32 characters");
		return -1;
	}
	/* Identity never comes from a client header (HTTP_* parameters). */
	if ((cf->cf_provider_email_param != NULL &&
	    strncmp(cf->cf_provider_email_param, "HTTP_", 5) == 0) ||
	    (cf->cf_provider_name_param != NULL &&
	    strncmp(cf->cf_provider_name_param, "HTTP_", 5) == 0)) {
		seterr(errbuf, errlen, "provider_email_param and "
		    "provider_name_param may not name an HTTP_* parameter: "
		    "clients set those");
		return -1;
	}
	if (cf->cf_provider_webhook_url != NULL &&
	    (strncmp(cf->cf_provider_webhook_url, "https://", 8) != 0 ||
	    cf->cf_provider_secret == NULL ||
	    strlen(cf->cf_provider_secret) < 32)) {
		seterr(errbuf, errlen, "provider_webhook_url must be https and "
		    "needs provider_secret (at least 32 characters) to sign");
		return -1;
	}
	if (egress_cidrs_parse(cf->cf_egress_allow_cidrs, cidrs, &ncidrs) != 0) {
		seterr(errbuf, errlen, "egress_allow_cidrs: expected a comma "
		    "list of address/bits");
		return -1;
	}
	if (cf->cf_secrets_key != NULL && strlen(cf->cf_secrets_key) < 32) {
		seterr(errbuf, errlen, "secrets_key must have at least 32 "
		    "characters");
		return -1;
	}
	if (!list_items_min(cf->cf_secrets_previous_keys, 32)) {
		seterr(errbuf, errlen, "secrets_previous_keys: each key of "
		    "the comma list must have at least 32 characters");
		return -1;
	}
	if (cf->cf_secrets_previous_keys != NULL &&
	    cf->cf_secrets_key == NULL) {
		seterr(errbuf, errlen, "secrets_previous_keys needs "
		    "secrets_key");
		return -1;
	}
	return 0;
}

/*
 * Load the configuration into cf (which is overwritten; free with
 * conf_free, also after failure).  "path" may be NULL for no file; a
 * missing file is an error only if explicit_path.  Returns 0, or -1 with
 * a one-line reason in errbuf.
 */
int
conf_load(struct conf *cf, const char *path, bool explicit_path,
    char *errbuf, size_t errlen)
{
	const struct conf_key	*k;
	const char		*v;
	char			 origin[128];
	size_t			 i;

	memset(cf, 0, sizeof(*cf));
	for (i = 0; i < NKEYS; i++) {
		k = &conf_keys[i];
		if (k->ck_default != NULL && conf_set(cf, k, k->ck_default,
		    "default", errbuf, errlen) == -1)
			return -1;
	}
	if (path != NULL &&
	    conf_read_file(cf, path, explicit_path, errbuf, errlen) == -1)
		return -1;
	for (i = 0; i < NKEYS; i++) {
		k = &conf_keys[i];
		if ((v = getenv(k->ck_env)) == NULL)
			continue;
		snprintf(origin, sizeof(origin), "environment %s", k->ck_env);
		if (conf_set(cf, k, v, origin, errbuf, errlen) == -1)
			return -1;
	}
	return conf_validate(cf, errbuf, errlen);
}

/*
 * Free every string of cf and zero it.  Safe on a zeroed conf.
 */
void
conf_free(struct conf *cf)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		if (conf_keys[i].ck_type == CF_STR ||
		    conf_keys[i].ck_type == CF_SECRET) {
			if (conf_keys[i].ck_type == CF_SECRET &&
			    *str_field(cf, &conf_keys[i]) != NULL)
				explicit_bzero(*str_field(cf, &conf_keys[i]),
				    strlen(*str_field(cf, &conf_keys[i])));
			free(*str_field(cf, &conf_keys[i]));
		}
	memset(cf, 0, sizeof(*cf));
}

/*
 * Print every key as "key = value"; secrets that are set print as
 * "(redacted)", unset values as nothing.
 */
void
conf_dump(const struct conf *cf, FILE *fp)
{
	const struct conf_key	*k;
	const char		*s;
	size_t			 i;

	for (i = 0; i < NKEYS; i++) {
		k = &conf_keys[i];
		switch (k->ck_type) {
		case CF_STR:
			s = str_field_c(cf, k);
			fprintf(fp, "%s = %s\n", k->ck_name, s ? s : "");
			break;
		case CF_SECRET:
			s = str_field_c(cf, k);
			fprintf(fp, "%s = %s\n", k->ck_name,
			    s ? "(redacted)" : "");
			break;
		case CF_INT:
			fprintf(fp, "%s = %lld\n", k->ck_name,
			    *(const long long *)(const void *)
			    ((const char *)cf + k->ck_off));
			break;
		case CF_ENUM:
			fprintf(fp, "%s = %s\n", k->ck_name,
			    k->ck_names[*(const int *)(const void *)
			    ((const char *)cf + k->ck_off)]);
			break;
		}
	}
}

/*
 * The start-up refusals that are not syntax: external mode needs a
 * provider, production needs the internal API token and the sealing key.
 * Returns 0, or -1 with a one-line reason (the caller exits 78).
 */
int
conf_startup_check(const struct conf *cf, char *errbuf, size_t errlen)
{
	if (cf->cf_auth_mode == AUTH_EXTERNAL &&
	    cf->cf_provider == PROVIDER_UNSET) {
		seterr(errbuf, errlen, "SECOND_AUTH_MODE=external but no "
		    "identity provider is configured (set SECOND_AUTH_PROVIDER "
		    "to webserver or assertion)");
		return -1;
	}
	if (cf->cf_env == ENV_PRODUCTION &&
	    cf->cf_internal_api_token == NULL) {
		seterr(errbuf, errlen, "SECOND_ENV=production requires "
		    "INTERNAL_API_TOKEN");
		return -1;
	}
	if (cf->cf_env == ENV_PRODUCTION && cf->cf_secrets_key == NULL) {
		seterr(errbuf, errlen, "SECOND_ENV=production requires "
		    "SECOND_SECRETS_KEY");
		return -1;
	}
	return 0;
}

/*
 * True when the public URL is https (cookies get Secure and __Host-).
 */
bool
conf_public_https(const struct conf *cf)
{
	return strncmp(cf->cf_public_url, "https://", 8) == 0;
}
