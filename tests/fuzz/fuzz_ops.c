/* fuzz_ops.c — received operation lines (an ops/ file of a peer): each line parsed as sync
 * parses it (cf_op_parse: shape, hash, canonical bytes); the lines that pass are received
 * together into the fuzz case (chains, clocks, replay, conflicts) and rolled back. */
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_OPS = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *s = fuzz_store();
	struct cf_op ops[MAX_OPS];
	struct cf_received got;
	struct cf_err err;
	size_t n = 0;

	for (size_t at = 0; at < size && n < MAX_OPS;) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (data + at)) : size - at;
		if (cf_op_parse((const char *)data + at, len, &ops[n], &err) == 0)
			n++;
		at += len + 1;
	}
	if (s && n && store_begin(s, &err) == 0) {
		op_receive(s, ops, n, &got, &err);
		store_rollback(s);
	}
	for (size_t i = 0; i < n; i++)
		cf_op_release(&ops[i]);
	return 0;
}
