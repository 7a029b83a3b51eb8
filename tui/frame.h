/* frame.h — private to the app: the frame around the screens (banners, tab bar, status line,
 * help), the prompts and the command line. */
#ifndef CASEFILE_TUI_FRAME_H
#define CASEFILE_TUI_FRAME_H

#include "tui/tui.h"

/* Draws the whole frame and the current screen (or form, help, "too small"), then updates
 * the terminal. */
void frame_draw(struct app *a);
void help_key(struct app *a, int key);
void prompt_key(struct app *a, int key);
void confirm_key(struct app *a, int key);
/* Runs one `:` command line. */
void tui_command(struct app *a, void *ctx, const char *text);

#endif
