/* fuzz_rules.c — the rule pack parser (store/deadline/rules_parse.c): any bytes as a .rules
 * file, loaded and, when it loads, every rule read back. */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size, "fuzz.rules");
	struct cf_rules *rules = NULL;
	struct cf_err err;

	if (!path || rules_load_file(path, &rules, &err) < 0)
		return 0;
	for (size_t i = 0; i < rules_count(rules); i++)
		(void)rules_at(rules, i);
	rules_free(rules);
	return 0;
}
