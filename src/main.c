/*
 * second-fcgi: entry point.  Parses the command line, loads and checks
 * the configuration, then either serves FastCGI on the inherited socket
 * (fd 0, as spawn-fcgi, mod_fcgid and lighttpd start it) or runs the
 * built-in supervisor (--listen), or runs the dispatcher alone
 * (--dispatcher).  See second-fcgi(8).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "conf.h"
#include "dispatch.h"
#include "log.h"
#include "route.h"
#include "stmt.h"
#include "super.h"
#include "worker.h"

#define EX_CONFIG	78	/* sysexits.h EX_CONFIG */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: second-fcgi [-n] [-c file] [--dump-config] "
	    "[--routes] [--statements]\n"
	    "                   [--dispatcher]\n"
	    "                   [--listen unix:path --workers n "
	    "[--socket-group group]]\n");
	exit(2);
}

/* Print the route table as tab-separated lines for the tests. */
static void
print_routes(void)
{
	const struct route	*r;
	size_t			 i;

	for (i = 0; i < route_count(); i++) {
		r = route_at(i);
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", req_method_name(r->rt_method),
		    r->rt_pattern, route_kind_name(r->rt_kind),
		    route_guard_name(r->rt_guard), perm_name(r->rt_perm)[0] ?
		    perm_name(r->rt_perm) : "-", r->rt_name);
	}
}

/*
 * Print the statement catalogue for a DBA: one block per statement, its
 * header then its text, fragments expanded; the output is itself valid
 * input to psql.
 */
static void
print_statements(void)
{
	const struct stmt_def	*d;
	int			 i, c;

	for (i = 0; i < ST__MAX; i++) {
		d = &stmt_defs[i];
		printf("-- name: %s\n-- file: sql/statements/%s\n"
		    "-- role: %s\n-- params: %s\n-- returns: ", d->sd_name,
		    d->sd_file, d->sd_role, d->sd_params);
		for (c = 0; c < d->sd_ncols; c++)
			printf("%s%s", c ? ", " : "", d->sd_cols[c]);
		printf("%s\n-- policy: %s\n%s;\n\n", d->sd_ncols ? "" : "none",
		    d->sd_policy, d->sd_sql);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dispatcher", no_argument, NULL, 'd' },
		{ "dump-config", no_argument, NULL, 'D' },
		{ "routes", no_argument, NULL, 'R' },
		{ "statements", no_argument, NULL, 'S' },
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct super_opts	 so = { NULL, 2, NULL, CONF_DEFAULT_PATH, false };
	struct conf		 cf;
	char			 err[512], *end;
	bool			 check = false, dump = false, disp = false;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "c:nhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			so.so_conf_path = optarg;
			so.so_conf_explicit = true;
			break;
		case 'n':
			check = true;
			break;
		case 'd':
			disp = true;
			break;
		case 'D':
			dump = true;
			break;
		case 'R':
			print_routes();
			return 0;
		case 'S':
			print_statements();
			return 0;
		case 'l':
			so.so_listen = optarg;
			break;
		case 'w':
			so.so_workers = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || so.so_workers < 1)
				usage();
			break;
		case 'g':
			so.so_group = optarg;
			break;
		case 'V':
			printf("second-fcgi %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	if (sodium_init() < 0) {
		fprintf(stderr, "second-fcgi: libsodium failed to initialise\n");
		return 1;
	}
	if (conf_load(&cf, so.so_conf_path, so.so_conf_explicit, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "second-fcgi: configuration: %s\n", err);
		conf_free(&cf);
		return 1;
	}
	if (dump) {
		conf_dump(&cf, stdout);
		conf_free(&cf);
		return 0;
	}
	if (conf_startup_check(&cf, err, sizeof(err)) != 0) {
		fprintf(stderr, "second-fcgi: refusing to start: %s\n", err);
		conf_free(&cf);
		return check ? 1 : EX_CONFIG;
	}
	if (check) {
		fprintf(stderr, "second-fcgi: configuration ok\n");
		conf_free(&cf);
		return 0;
	}
	log_set_level((enum log_level)cf.cf_log_level);
	if (cf.cf_env != ENV_PRODUCTION && cf.cf_internal_api_token == NULL)
		log_warn("INTERNAL_API_TOKEN is not set: internal API calls "
		    "are accepted without a token (development only)");
	if (cf.cf_env != ENV_PRODUCTION && cf.cf_secrets_key == NULL)
		log_warn("SECOND_SECRETS_KEY is not set: integration secrets "
		    "are sealed with a development key kept in the database "
		    "(development only)");
	if (cf.cf_auth_mode == AUTH_NONE)
		log_warn("SECOND_AUTH_MODE=none: anyone who reaches this "
		    "server can create an identity; do not expose it");

	if (disp && so.so_listen != NULL)
		usage();
	if (disp)
		rc = dispatch_run(&cf);
	else if (so.so_listen != NULL)
		rc = super_run(&cf, &so);
	else
		rc = worker_run(&cf, 0);
	conf_free(&cf);
	return rc;
}
