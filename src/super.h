/*
 * super: the built-in supervisor (--listen/--workers).
 */
#ifndef SECOND_SUPER_H
#define SECOND_SUPER_H

#include <signal.h>
#include <stdbool.h>

struct conf;

struct super_opts {
	const char	*so_listen;	/* "unix:/path.sock" */
	int		 so_workers;	/* number of worker processes */
	const char	*so_group;	/* socket group or NULL */
	const char	*so_conf_path;	/* for SIGHUP reloads, or NULL */
	bool		 so_conf_explicit; /* -c was given */
};

int	 super_run(struct conf *, const struct super_opts *);
void	 super_child_signals(void (*)(int), sigset_t *);

#endif
