/*
 * runstat: run a command and print what it cost, for `make bench`.
 *
 *	runstat [-i infile] [-o outfile] [-e errfile] [-t seconds]
 *	    command [arg ...]
 *
 * Runs command with standard input from infile, standard output to
 * outfile and standard error to errfile (each inherited when not given),
 * waits for it with wait4(2) and prints one TSV line on standard output:
 *
 *	wall_s	cpu_s	maxrss_kib	status
 *
 * wall_s is the elapsed time from fork to exit (monotonic clock), cpu_s
 * the user plus system time of the command, maxrss_kib its peak resident
 * set size, status its exit status (128 + signal when killed).  With -t
 * the command is killed after that many seconds and the status is 124,
 * as with timeout(1).  The exit status of runstat is the command's
 * status, or 127 if it could not be run.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t expired;
static pid_t child;

static void
onalarm(int sig)
{
	(void)sig;
	expired = 1;
	kill(child, SIGKILL);
}

static double
tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void
redirect(const char *path, int fd, int flags)
{
	int f;

	if ((f = open(path, flags, 0666)) < 0) {
		fprintf(stderr, "runstat: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (f != fd) {
		if (dup2(f, fd) < 0) {
			fprintf(stderr, "runstat: dup2: %s\n", strerror(errno));
			_exit(127);
		}
		close(f);
	}
}

int
main(int argc, char *argv[])
{
	const char *in = NULL, *out = NULL, *err = NULL;
	struct sigaction sa;
	unsigned limit = 0;
	char *end;
	struct timespec t0, t1;
	struct rusage ru;
	int c, st, status;
	pid_t pid;

	while ((c = getopt(argc, argv, "+e:i:o:t:")) != -1)
		switch (c) {
		case 'e':
			err = optarg;
			break;
		case 'i':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 't':
			limit = (unsigned)strtoul(optarg, &end, 10);
			if (*end != '\0' || end == optarg) {
				fprintf(stderr, "runstat: -t: '%s' is not a "
				    "number of seconds\n", optarg);
				return 64;
			}
			break;
		default:
			fprintf(stderr, "usage: runstat [-i infile] "
			    "[-o outfile] [-e errfile] [-t seconds] "
			    "command [arg ...]\n");
			return 64;
		}
	argv += optind;
	if (argv[0] == NULL) {
		fprintf(stderr, "usage: runstat [-i infile] [-o outfile] "
		    "[-e errfile] [-t seconds] command [arg ...]\n");
		return 64;
	}
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "runstat: fork: %s\n", strerror(errno));
		return 71;
	}
	if (pid == 0) {
		if (in != NULL)
			redirect(in, 0, O_RDONLY);
		if (out != NULL)
			redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
		if (err != NULL)
			redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
		execvp(argv[0], argv);
		fprintf(stderr, "runstat: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	child = pid;
	if (limit > 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = onalarm;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		alarm(limit);
	}
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "runstat: wait4: %s\n",
			    strerror(errno));
			return 71;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	if (expired && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		status = 124;
	else if (WIFEXITED(st))
		status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		status = 128 + WTERMSIG(st);
	else
		status = 127;
	printf("%.4f\t%.4f\t%ld\t%d\n",
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    tv_s(ru.ru_utime) + tv_s(ru.ru_stime), ru.ru_maxrss, status);
	return status;
}
