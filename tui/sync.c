/* sync.c — `:sync [REMOTE]` in the terminal UI: sync_run with its stages shown in the status
 * line as they happen (Esc stops it, the case left as before the stage), then the outcome
 * (or exactly what failed, the case left intact), and every screen read again. */
#include "tui/frame.h"

#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "export/sync/sync.h"

struct sync_view {
	struct app *a;
	const char *remote;
	enum sync_stage stage;
	int started;
};

/* Each stage named as it starts; how far it has come, and Esc to stop it, is the progress
 * line the store's sink draws (app.c) once the stage lasts. */
static int progress(const struct sync_progress *p, void *ctx)
{
	struct sync_view *v = ctx;

	if (v->started && p->stage == v->stage)
		return 0;
	v->stage = p->stage;
	v->started = 1;
	if (p->attempt > 1)
		tui_message(v->a, 0, "sync %s: %s (attempt %d)...", v->remote,
			    sync_stage_name(p->stage), p->attempt);
	else
		tui_message(v->a, 0, "sync %s: %s...", v->remote, sync_stage_name(p->stage));
	frame_draw(v->a);
	return 0;
}

static const char *failure_kind(int rc)
{
	switch (rc) {
	case CF_ENET: return "the remote could not be reached";
	case CF_EAUTH: return "the remote refused the credentials";
	case CF_EREJECTED: return "the push was refused";
	case CF_ETAMPER: return "an operation file was changed after the fact";
	default: return NULL;
	}
}

/* The number key of the Conflicts screen, from its place in the tab bar. */
static int conflicts_key(void)
{
	for (size_t i = 0; i < tui_nscreens; i++)
		if (tui_screens[i] == &scr_conflicts)
			return (int)(i + 1) % 10;
	return 0;
}

static void outcome(struct app *a, const struct sync_result *r)
{
	char conflicts[CF_PHRASE_LEN] = "";

	if (r->up_to_date) {
		tui_message(a, 0, "sync %s: up to date", r->remote_branch);
		return;
	}
	if (r->conflicts)
		snprintf(conflicts, sizeof(conflicts), ", %lld new conflict%s (key %d)",
			 (long long)r->conflicts, r->conflicts == 1 ? "" : "s", conflicts_key());
	tui_message(a, 0, "sync %s: sent %lld, received %lld operation%s%s, %s%s",
		    r->remote_branch, (long long)r->ops_written, (long long)r->ops_received,
		    r->ops_received == 1 ? "" : "s", conflicts,
		    r->pushed ? "pushed" : "nothing to push",
		    r->attempts > 1 ? " (after a refused push)" : "");
}

void tui_sync(struct app *a, const char *remote)
{
	struct sync_view v = { a, remote && *remote ? remote : SYNC_DEFAULT_REMOTE, 0, 0 };
	struct sync_result res;
	struct cf_err err = { 0 };
	int rc;

	memset(&res, 0, sizeof(res));
	tui_message(a, 0, "sync %s: starting...", v.remote);
	frame_draw(a);
	git_libgit2_init(); /* not at start: see scr_reports.c */
	rc = sync_run(a->s, v.remote, progress, &v, &res, &err);
	git_libgit2_shutdown();
	if (rc < 0)
		tui_message(a, 1, "sync %s failed%s%s: %s%s%s%s; local work is intact, the next"
			    " sync goes on", v.remote, v.started ? " at " : "",
			    v.started ? sync_stage_name(v.stage) : "", err.msg,
			    failure_kind(rc) ? " (" : "", failure_kind(rc) ? failure_kind(rc) : "",
			    failure_kind(rc) ? ")" : "");
	else
		outcome(a, &res);
	/* Received operations changed the case through this connection: reread everything. */
	tui_case_changed(a);
}
