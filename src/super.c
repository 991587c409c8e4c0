/*
 * super: bind the socket, fork the workers, keep them alive.
 *
 * All signals the supervisor handles are blocked and taken synchronously
 * with sigtimedwait(), so there is no handler code and no race between a
 * signal and the loop:
 *
 *   SIGCHLD  reap; a worker that died while we are not draining is
 *            replaced at once (throttled if workers crash in a loop), and
 *            so is the dispatcher;
 *   SIGHUP   re-read the configuration into a new struct; if it is valid,
 *            swap it in and roll the workers (each finishes its request,
 *            exits, and is replaced with the new configuration); if not,
 *            keep the old one and log why;
 *   SIGTERM, SIGINT
 *            drain: forward SIGTERM, wait for every worker (SIGKILL after
 *            DRAIN_SECONDS), remove the socket, exit 0.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "dispatch.h"
#include "log.h"
#include "super.h"
#include "worker.h"

#define MAX_WORKERS	256
#define DRAIN_SECONDS	30
#define CRASH_WINDOW	10	/* seconds */
#define CRASH_LIMIT	20	/* restarts within the window before throttling */

/*
 * Bind a unix socket at path with mode 0660 (the umask is set before
 * bind, so it is never wider), optionally owned by "group".  A stale
 * socket file is removed; any other file there is an error.
 */
static int
listen_unix(const char *path, const char *group)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	struct group		*gr;
	mode_t			 old;
	int			 fd = -1;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_err("super: socket path too long: %s", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_err("super: %s exists and is not a socket", path);
			return -1;
		}
		(void)unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_err("super: socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		log_err("super: bind %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, 0660) == -1 ||
	    (group != NULL && ((gr = getgrnam(group)) == NULL ||
	    chown(path, (uid_t)-1, gr->gr_gid) == -1))) {
		log_err("super: socket %s: permissions or group %s: %s", path,
		    group ? group : "-", strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (listen(fd, 1024) == -1) {
		log_err("super: listen: %s", strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/*
 * The signals of a process that serves until told to stop, a worker or
 * the dispatcher, under the supervisor or alone: on_term handles SIGTERM
 * and SIGINT, SIGHUP and SIGPIPE are ignored.  SIGTERM and SIGINT are
 * blocked; *waitmask gets the mask to wait in (ppoll), where they
 * arrive: the mask before the call without them.
 */
void
super_child_signals(void (*on_term)(int), sigset_t *waitmask)
{
	struct sigaction	 sa;
	sigset_t		 block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
}

/* Fork one worker; returns its pid or -1.  The child never returns. */
static pid_t
spawn(const struct conf *cf, int fd, const sigset_t *orig)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		log_err("super: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, orig, NULL);
		_exit(worker_run(cf, fd));
	}
	return pid;
}

/*
 * Fork the dispatcher (worker_url set); returns its pid or -1.  It does
 * not keep the listening socket.
 */
static pid_t
spawn_dispatcher(const struct conf *cf, int fd, const sigset_t *orig)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		log_err("super: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fd);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, orig, NULL);
		_exit(dispatch_run(cf));
	}
	log_info("super: dispatcher started (pid %ld)", (long)pid);
	return pid;
}

/*
 * Run the supervisor until drained.  cf is the loaded configuration
 * (replaced on successful reloads and freed by the caller).  Returns the
 * exit status.
 */
int
super_run(struct conf *cf, const struct super_opts *so)
{
	pid_t		 pids[MAX_WORKERS];
	sigset_t	 set, orig;
	siginfo_t	 si;
	struct timespec	 tick = { 1, 0 };
	struct conf	 ncf;
	char		 err[512];
	const char	*path;
	time_t		 window = 0, drain_deadline = 0;
	int		 fd, i, n = so->so_workers, crashes = 0, status, sig;
	int		 alive;
	bool		 draining = false, abnormal;
	pid_t		 pid, dpid = 0;	/* the dispatcher, 0: none */

	if (strncmp(so->so_listen, "unix:", 5) != 0) {
		log_err("super: --listen takes unix:/path.sock");
		return 1;
	}
	path = so->so_listen + 5;
	if (n < 1 || n > MAX_WORKERS) {
		log_err("super: --workers must be 1 to %d", MAX_WORKERS);
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, &orig);
	signal(SIGPIPE, SIG_IGN);

	if ((fd = listen_unix(path, so->so_group)) == -1)
		return 1;
	for (i = 0; i < n; i++)
		pids[i] = spawn(cf, fd, &orig);
	log_info("super: listening on %s with %d workers", path, n);
	if (cf->cf_worker_url == NULL)
		log_warn("super: worker_url (WORKER_URL) is not set: agent and "
		    "builder runs are recorded and stay pending");
	else
		dpid = spawn_dispatcher(cf, fd, &orig);

	for (;;) {
		sig = sigtimedwait(&set, &si, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			if (!draining) {
				log_info("super: draining");
				draining = true;
				drain_deadline = time(NULL) + DRAIN_SECONDS;
				for (i = 0; i < n; i++)
					if (pids[i] > 0)
						kill(pids[i], SIGTERM);
				if (dpid > 0)
					kill(dpid, SIGTERM);
			}
		} else if (sig == SIGHUP && !draining) {
			if (conf_load(&ncf, so->so_conf_path,
			    so->so_conf_explicit, err, sizeof(err)) != 0 ||
			    conf_startup_check(&ncf, err, sizeof(err)) != 0) {
				log_warn("super: reload refused, keeping the "
				    "running configuration: %s", err);
				conf_free(&ncf);
			} else {
				conf_free(cf);
				*cf = ncf;
				log_info("super: configuration reloaded, "
				    "restarting workers");
				for (i = 0; i < n; i++)
					if (pids[i] > 0)
						kill(pids[i], SIGTERM);
				if (dpid > 0)
					kill(dpid, SIGTERM);
			}
		}

		/* Reap every dead child; replace it unless draining. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < n; i++)
				if (pids[i] == pid)
					break;
			if (i == n && pid != dpid)
				continue;
			if (pid == dpid)
				dpid = 0;	/* started again below */
			else
				pids[i] = 0;
			abnormal = WIFSIGNALED(status) ||
			    (WIFEXITED(status) && WEXITSTATUS(status) != 0);
			if (abnormal)
				log_warn("super: %s %ld died (%s %d)",
				    i == n ? "dispatcher" : "worker",
				    (long)pid, WIFSIGNALED(status) ?
				    "signal" : "status", WIFSIGNALED(status) ?
				    WTERMSIG(status) : WEXITSTATUS(status));
			if (draining)
				continue;
			if (time(NULL) - window > CRASH_WINDOW) {
				window = time(NULL);
				crashes = 0;
			}
			if (abnormal && ++crashes > CRASH_LIMIT) {
				log_err("super: workers exit in a loop, "
				    "throttling restarts");
				sleep(1);
			}
			if (i < n)
				pids[i] = spawn(cf, fd, &orig);
		}
		/* A failed fork is retried on the next tick. */
		if (!draining) {
			for (i = 0; i < n; i++)
				if (pids[i] <= 0)
					pids[i] = spawn(cf, fd, &orig);
			if (dpid <= 0 && cf->cf_worker_url != NULL)
				dpid = spawn_dispatcher(cf, fd, &orig);
		}

		if (draining) {
			for (alive = dpid > 0, i = 0; i < n; i++)
				alive += pids[i] > 0;
			if (alive == 0)
				break;
			if (time(NULL) >= drain_deadline) {
				log_warn("super: drain timeout, killing %d "
				    "workers", alive);
				for (i = 0; i < n; i++)
					if (pids[i] > 0)
						kill(pids[i], SIGKILL);
				if (dpid > 0)
					kill(dpid, SIGKILL);
				drain_deadline = time(NULL) + DRAIN_SECONDS;
			}
		}
	}
	close(fd);
	unlink(path);
	log_info("super: stopped");
	return 0;
}
