#!/bin/sh
# fake_editor.sh FILE — stands in for $EDITOR in the TUI tests: adds a line to the text.
printf '%s\n' "A second line, from the editor." >>"$1"
