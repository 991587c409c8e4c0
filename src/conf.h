/*
 * conf: the configuration, declared in one table (conf.c).
 *
 * Sources, later ones winning: built-in defaults, the configuration file
 * ("key = value" lines), then the environment (the original system's
 * variable names).  This module is the only reader of the environment.
 */
#ifndef SECOND_CONF_H
#define SECOND_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CONF_DEFAULT_PATH	"/etc/second/second.conf"

enum auth_mode {
	AUTH_NONE = 0,		/* local: onboarding form + signed cookie */
	AUTH_EXTERNAL,		/* production: web server or proxy identity */
};

enum provider_kind {
	PROVIDER_UNSET = 0,
	PROVIDER_WEBSERVER,	/* REMOTE_USER and configured params */
	PROVIDER_ASSERTION,	/* signed header from an authenticating proxy */
};

enum run_env {
	ENV_DEVELOPMENT = 0,
	ENV_PRODUCTION,
};

struct conf {
	char	*cf_admin_database_url;		/* second-admin's conninfo */
	int	 cf_auth_mode;			/* enum auth_mode */
	char	*cf_database_url;		/* workers' conninfo */
	char	*cf_egress_allow_cidrs;		/* ranges allowed despite rules */
	char	*cf_egress_ca_file;		/* extra CA bundle for egress */
	long long cf_egress_timeout;		/* seconds, whole request */
	int	 cf_env;			/* enum run_env */
	char	*cf_internal_api_token;		/* secret; NULL if unset */
	long long cf_invitation_ttl;		/* seconds until expiry */
	int	 cf_log_level;			/* enum log_level */
	long long cf_max_body;			/* bytes */
	long long cf_max_params;		/* FastCGI param count */
	long long cf_max_params_bytes;		/* total param bytes */
	long long cf_max_snapshot_body;		/* bytes, file and snapshot writes */
	long long cf_max_snapshot_files;	/* files in a draft snapshot */
	long long cf_oauth_refresh_lock_timeout; /* seconds, refresh lock wait */
	int	 cf_provider;			/* enum provider_kind */
	char	*cf_provider_email_param;	/* FastCGI param with the email */
	char	*cf_provider_name_param;	/* FastCGI param with the name */
	char	*cf_provider_secret;		/* secret; assertion MAC key */
	char	*cf_provider_token;		/* secret; provider sync bearer */
	char	*cf_provider_webhook_url;	/* invitation webhook */
	char	*cf_public_url;			/* origin of the site */
	char	*cf_secrets_key;		/* secret; sealing key */
	char	*cf_secrets_previous_keys;	/* secret; comma list, open only */
	long long cf_session_max_age;		/* seconds */
	char	*cf_session_previous_secrets;	/* secret; comma list */
	char	*cf_session_secret;		/* secret; cookie MAC key */
	char	*cf_worker_url;			/* agent worker base URL or NULL */
};

int	 conf_load(struct conf *, const char *path, bool explicit_path,
	    char *errbuf, size_t errlen)
	    __attribute__((warn_unused_result));
void	 conf_free(struct conf *);
void	 conf_dump(const struct conf *, FILE *);
int	 conf_startup_check(const struct conf *, char *errbuf, size_t errlen)
	    __attribute__((warn_unused_result));
bool	 conf_public_https(const struct conf *);

#endif
