/*
 * tsf_signal.c -- a stream of signals at a test's reading thread, to
 * check that reads end with EINTR or a short count and lose nothing.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tsf.h"

static volatile sig_atomic_t pester_hits;

static void
pester_handler(int sig)
{
	(void)sig;
	pester_hits++;
}

static void *
pester_run(void *arg)
{
	struct tsf_pester *p = arg;
	int i;

	for (i = 0; i < 100000 && !p->stop; i++) {
		usleep(p->interval_us);
		(void)pthread_kill(p->target, SIGUSR1);
	}
	return (NULL);
}

void
tsf_pester_start(struct tsf_pester *p, unsigned int interval_us)
{
	struct sigaction sa;

	/* No SA_RESTART: an interrupted read must come back to the test. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pester_handler;
	sigemptyset(&sa.sa_mask);
	cr_assert(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s",
	    strerror(errno));
	pester_hits = 0;
	p->target = pthread_self();
	p->interval_us = interval_us;
	p->stop = 0;
	cr_assert(pthread_create(&p->thread, NULL, pester_run, p) == 0,
	    "pthread_create");
}

unsigned long
tsf_pester_stop(struct tsf_pester *p)
{
	p->stop = 1;
	(void)pthread_join(p->thread, NULL);
	return ((unsigned long)pester_hits);
}
