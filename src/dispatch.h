/*
 * dispatch: the dispatcher, the process that delivers agent runs and
 * builder runs to the agent worker (second-fcgi(8), "The dispatcher and
 * the agent worker").
 */
#ifndef SECOND_DISPATCH_H
#define SECOND_DISPATCH_H

struct conf;

int	 dispatch_run(const struct conf *);

#endif
