/* cli_tui.c — `casefile tui` (and casefile with no command): the terminal UI on the case;
 * `casefile tui --keys` prints its keys for casefile(1), generated from tui/actions.h. */
#include "tui/cli/cli.h"
#include "tui/tui.h"


int cmd_tui(struct cli *cli, const struct cli_args *a)
{
	int rc;

	if (cli_flag(a, "keys")) {
		tui_print_keys_roff(stdout);
		return EXIT_OK;
	}
	if ((rc = cli_open_case(cli)) != 0)
		return rc;
	rc = tui_run(cli->s, cli->at);
	return rc == 0 ? EXIT_OK : rc == 1 ? EXIT_FAIL : rc;
}
