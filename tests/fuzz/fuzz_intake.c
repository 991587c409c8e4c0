/*
 * fuzz_intake: libFuzzer target for everything a FastCGI request feeds
 * the parsers: the parameter block (name=value lines become envp), the
 * path checks, route matching, query and cookie lookups.
 *
 * Input format: NUL-separated "NAME=VALUE" entries; the last segment, if
 * any, is used as the query-parameter name to look up.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "req.h"
#include "route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf	 cf;
	static int		 loaded;
	struct req		 rq;
	struct buf		 allow = BUF_INIT;
	const struct route	*rt;
	char			*copy, *envp[512], *p, *v = NULL;
	char			 err[256];
	size_t			 n = 0, len;

	if (!loaded) {
		if (conf_load(&cf, NULL, false, err, sizeof(err)) != 0)
			abort();
		loaded = 1;
	}
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy; p < copy + size && n < 511; p += len + 1) {
		len = strlen(p);
		envp[n++] = p;
	}
	envp[n] = NULL;

	req_init(&rq);
	if (req_intake(&rq, envp, &cf) == ERR_OK) {
		if (route_lookup(rq.rq_method, rq.rq_path, &rt, rq.rq_args,
		    &rq.rq_nargs, &allow) == RM_FOUND && n > 0 &&
		    req_query_get(&rq, envp[n - 1], &v) == ERR_OK)
			free(v);
		(void)req_cookie_get(&rq, "second_session", &len);
	}
	req_free(&rq);
	buf_free(&allow);
	free(copy);
	return 0;
}
