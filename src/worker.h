/*
 * worker: the single-threaded FastCGI request loop of one process.
 */
#ifndef SECOND_WORKER_H
#define SECOND_WORKER_H

struct conf;

int	 worker_run(const struct conf *, int listen_fd);

#endif
