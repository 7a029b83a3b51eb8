/* fuzz_import.c — the Timesketch importer (store/import.c): any bytes as a CSV or JSONL file,
 * imported into the fuzz case inside a transaction rolled back after. */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *s = fuzz_store();
	const char *path = fuzz_file(data, size, "timeline.csv");
	struct cf_err err;
	int64_t n;

	if (!s || !path || store_begin(s, &err) < 0)
		return 0;
	import_events(s, path, &n, &err);
	store_rollback(s);
	return 0;
}
