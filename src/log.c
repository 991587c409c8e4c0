/*
 * log: one line per event on stderr (the spawner, systemd or the
 * supervisor's redirection captures it).  Format:
 *
 *   2026-11-24T01:02:03Z info pid=123 message
 *
 * The message is formatted first and then escaped as a whole, so neither a
 * caller's value nor a format mistake can inject a newline or a control
 * character into the log.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"

static const char *const log_names[LOG__MAX] = {
	"debug", /* LOG_DEBUG */
	"info", /* LOG_INFO */
	"warn", /* LOG_WARN */
	"error", /* LOG_ERR */
};

static enum log_level log_threshold = LOG_INFO;

/*
 * Set the lowest level that is written.
 */
void
log_set_level(enum log_level lvl)
{
	log_threshold = lvl;
}

/*
 * Write one escaped line at level "lvl" if it passes the threshold.
 * Never fails visibly: a line that cannot be built is dropped.
 */
void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	struct buf	 raw = BUF_INIT, line = BUF_INIT;
	char		 ts[32], msg[4096];
	struct tm	 tm;
	time_t		 now;
	va_list		 ap;
	int		 n;

	if (lvl < log_threshold || lvl >= LOG__MAX)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_puts(&raw, msg);
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_printf(&line, "%s %s pid=%ld ", ts, log_names[lvl], (long)getpid());
	if (raw.b_data != NULL)
		buf_log_str(&line, raw.b_data);
	buf_putc(&line, '\n');
	if (buf_ok(&line))
		(void)write(STDERR_FILENO, line.b_data, line.b_len);
	buf_free(&raw);
	buf_free(&line);
}
