/*
 * egresscheck: run outbound calls through egress_request, for
 * tests/regress/egress_rules.test.
 *
 *   egresscheck [-o FILE] [-H 'Name: value']... [-d BODY]
 *       METHOD URL DOMAIN [METHOD URL DOMAIN]...
 *
 * The configuration is loaded as the programs load it, from the
 * environment (SECOND_EGRESS_ALLOW_CIDRS, SECOND_EGRESS_CA_FILE,
 * SECOND_EGRESS_TIMEOUT, ...).  The calls run one after the other in this
 * one process, each with the same headers and body, and each prints one
 * line:
 *
 *   ok STATUS CONTENT_TYPE BYTES      (CONTENT_TYPE "-" when absent)
 *   refused CLASS [retryable]          (CLASS from egress_err_name)
 *
 * -o FILE keeps the last response body.  Exits 0 after the calls, 2 on a
 * usage or configuration error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "egress.h"

#define CHECK_NAME	"egresscheck"

static void
usage(void)
{
	fprintf(stderr, "usage: " CHECK_NAME " [-o file] [-H header]... "
	    "[-d body] method url domain ...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char		*hdrs[EGRESS_MAX_HEADERS + 1];
	struct conf		 cf;
	struct egress_req	 rq = { 0 };
	struct egress_resp	 rs = { 0 };
	struct buf		 body = BUF_INIT;
	const char		*out = NULL;
	char			 err[256];
	FILE			*f;
	int			 ch, i;

	while ((ch = getopt(argc, argv, "d:H:o:")) != -1) {
		switch (ch) {
		case 'd':
			rq.er_body = optarg;
			rq.er_body_len = strlen(optarg);
			break;
		case 'H':
			if (rq.er_nheaders > EGRESS_MAX_HEADERS)
				usage();
			hdrs[rq.er_nheaders++] = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || argc % 3 != 0)
		usage();
	if (conf_load(&cf, NULL, false, err, sizeof(err)) != 0) {
		fprintf(stderr, CHECK_NAME ": %s\n", err);
		conf_free(&cf);
		return 2;
	}
	rq.er_headers = hdrs;
	for (i = 0; i < argc; i += 3) {
		rq.er_method = argv[i];
		rq.er_url = argv[i + 1];
		rq.er_domain = argv[i + 2];
		buf_reset(&body);
		rs.es_body = &body;
		if (egress_request(&cf, &rq, &rs) == 0)
			printf("ok %ld %s %zu\n", rs.es_status,
			    rs.es_content_type[0] != '\0' ?
			    rs.es_content_type : "-", rs.es_body_len);
		else
			printf("refused %s%s\n", egress_err_name(rs.es_err),
			    rs.es_retryable ? " retryable" : "");
		fflush(stdout);
	}
	if (out != NULL && (f = fopen(out, "w")) != NULL) {
		fwrite(body.b_data != NULL ? body.b_data : "", 1, body.b_len,
		    f);
		fclose(f);
	}
	buf_free(&body);
	conf_free(&cf);
	return 0;
}
