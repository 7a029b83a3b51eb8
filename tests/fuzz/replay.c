/* replay.c — a fuzz target without libFuzzer: each file named (or each file of each directory
 * named) fed once to LLVMFuzzerTestOneInput, so `make check` runs every corpus as regression
 * tests with the ordinary compiler.  Exit status 0, or 1 when an input cannot be read. */
#define _XOPEN_SOURCE 700
#include "tests/fuzz/fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t n = 0, cap = 0, got;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (n == cap) {
			uint8_t *p = realloc(data, cap = cap ? cap * 2 : 4096);
			if (!p) {
				free(data);
				fclose(f);
				return -1;
			}
			data = p;
		}
		n += got = fread(data + n, 1, cap - n, f);
	} while (got > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(data, n);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0, count = 0;

	for (int i = 1; i < argc; i++) {
		struct stat sb;
		DIR *d;
		struct dirent *e;
		if (stat(argv[i], &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			bad |= run_file(argv[i]) < 0;
			count++;
			continue;
		}
		if (!(d = opendir(argv[i]))) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		while ((e = readdir(d))) {
			char path[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			bad |= run_file(path) < 0;
			count++;
		}
		closedir(d);
	}
	printf("%d inputs\n", count);
	return bad;
}
