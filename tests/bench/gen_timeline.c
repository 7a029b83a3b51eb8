/* gen_timeline.c — writes a synthetic Timesketch CSV timeline of N rows to stdout, the same
 * every run (fixed seed): quoted messages with commas, extra columns, a vocabulary to search. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint32_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)(state >> 16);
}

static const char *const verbs[] = {
	"login", "logout", "copied", "deleted", "created", "opened", "uploaded", "scanned",
	"executed", "connected", "modified", "renamed", "downloaded", "accessed", "failed",
};
static const char *const objects[] = {
	"traveler_images.zip", "plates.csv", "vpn gateway", "share \\\\fs01\\pilot", "ssh session",
	"powershell.exe", "backup.tar", "camera lane 3", "badge reader", "cron job", "mail relay",
	"registry key Run", "service account", "sftp upload", "database dump",
};
static const char *const hosts[] = {
	"lpr-01", "lpr-02", "jump-1", "fs01", "dc01", "contractor-ws7", "vpn-edge", "mail1",
};
static const char *const users[] = { "svc_backup", "jdoe", "asmith", "admin", "SYSTEM" };
static const char *const descs[] = {
	"Last Written", "Creation Time", "Last Access", "Event Recorded", "Content Modification",
};

#define PICK(a) a[next() % (sizeof(a) / sizeof(a[0]))]

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	int64_t t = 1533081600; /* 2018-08-01 */

	if (n <= 0) {
		fprintf(stderr, "usage: gen_timeline [ROWS]\n");
		return 2;
	}
	puts("message,timestamp,datetime,timestamp_desc,data_type,hostname,username,event_id");
	for (long i = 0; i < n; i++) {
		time_t tt;
		struct tm tm;
		char when[32];

		t += next() % 30;
		tt = (time_t)t;
		gmtime_r(&tt, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
		printf("\"%s %s on %s, user %s (pid %u)\",%lld000000,%s,%s,%s,%s,%s,%ld\n",
		       PICK(users), PICK(verbs), PICK(objects), PICK(users), next() % 65536,
		       (long long)t, when, PICK(descs), i % 3 ? "fs:stat" : "windows:evtx:record",
		       PICK(hosts), PICK(users), i);
	}
	return 0;
}
