/* cli_progress.c — the command line's progress sink: one line on stderr, redrawn in place, as
 * git draws it; only when stderr is a terminal, unless --progress asks for it or --quiet not. */
#include "tui/cli/cli.h"

#include <stdio.h>
#include <unistd.h>

static int show_on_stderr(void *ctx, const struct progress_info *pi)
{
	struct cli *cli = ctx;
	struct strbuf line = STRBUF_INIT;
	size_t len;

	progress_format(pi, &line);
	len = line.len;
	/* Blank what is left of a longer previous line: no escape sequence needed, so a
	 * forced --progress into a log file stays plain text. */
	while (line.len < cli->progress_width)
		strbuf_addch(&line, ' ');
	cli->progress_width = pi->finished ? 0 : len;
	fprintf(stderr, "\r%s%s", line.buf, pi->finished ? "\n" : "");
	fflush(stderr);
	strbuf_release(&line);
	return 0; /* the command line stops work with ^C, not through here */
}

const struct progress_sink *cli_progress_sink(struct cli *cli)
{
	static struct progress_sink sink;

	if (cli->progress < 0 || (cli->progress == 0 && !isatty(STDERR_FILENO)))
		return NULL;
	sink.show = show_on_stderr;
	sink.ctx = cli;
	return &sink;
}

void cli_progress_install(struct cli *cli)
{
	store_set_progress(cli->s, cli_progress_sink(cli));
}
