/* fuzz.h — what the fuzz targets share (tests/fuzz/): each defines LLVMFuzzerTestOneInput;
 * libFuzzer drives it under `make fuzz`, replay.c feeds it the corpus in `make check`. */
#ifndef CASEFILE_FUZZ_H
#define CASEFILE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* One case for the whole run, in a temporary directory removed at exit; NULL (and a message
 * on stderr) when it cannot be made.  Targets change it only inside a transaction they roll
 * back, so every input meets the same case. */
struct store *fuzz_store(void);
/* DATA written to a file of the run's directory; its path (static storage), or NULL. */
const char *fuzz_file(const uint8_t *data, size_t size, const char *name);

#endif
