/* timecmd.c — runs a command N times (output discarded) and prints the median and 95th
 * percentile of its wall-clock latency in milliseconds: "median_ms p95_ms". */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0, failed = 0;
	double *ms;

	if (n <= 0) {
		fprintf(stderr, "usage: timecmd N COMMAND [ARGS...]\n");
		return 2;
	}
	ms = calloc((size_t)n, sizeof(*ms));
	for (int i = 0; i < n && ms; i++) {
		struct timespec a, b;
		int status;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &a);
		pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			dup2(null, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
		ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	if (!ms)
		return 1;
	qsort(ms, (size_t)n, sizeof(*ms), cmp);
	printf("%.2f %.2f\n", ms[n / 2], ms[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1]);
	free(ms);
	if (failed)
		fprintf(stderr, "timecmd: %d of %d runs failed\n", failed, n);
	return failed ? 1 : 0;
}
