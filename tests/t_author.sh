#!/bin/sh
# t_author.sh — who an operation is by: CASEFILE_AUTHOR, else git's user.name <user.email>
# (system, XDG, ~/.gitconfig, the later winning, as git reads them), else the login name.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fails=0
die() { echo "FAIL: $*"; fails=$((fails + 1)); }
unset CASEFILE_AUTHOR CASEFILE_DIR XDG_CONFIG_HOME GIT_CONFIG_GLOBAL
export HOME="$T/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
"$B" init "$T/case" --title authors >/dev/null || die "init"
# author_of CMD...: runs CMD as a note add and prints the author of its operation.
author_of() {
	"$@" "$B" -C "$T/case" note add "x" >/dev/null || die "note add"
	"$B" -C "$T/case" log --json | sed -n 's/^ *"author": "\(.*\)",$/\1/p' | tail -1
}

a=$(author_of env CASEFILE_AUTHOR="Pat Example <pat@example.org>")
[ "$a" = "Pat Example <pat@example.org>" ] || die "CASEFILE_AUTHOR: got '$a'"

# No git identity anywhere: the login name.
a=$(author_of env)
[ "$a" = "$(id -un)" ] || die "login name: got '$a', want '$(id -un)'"

# XDG config, then ~/.gitconfig wins over it; quotes and spacing as git allows.
mkdir -p "$HOME/.config/git"
printf '[core]\n\tname = not this\n[user]\n\tname = Xdg Person\n\temail=xdg@example.org\n' \
	>"$HOME/.config/git/config"
a=$(author_of env)
[ "$a" = "Xdg Person <xdg@example.org>" ] || die "XDG git config: got '$a'"
printf '[User]\n  name = "Jane Q. Doe"  \n  email = jane@example.org\n' >"$HOME/.gitconfig"
a=$(author_of env)
[ "$a" = "Jane Q. Doe <jane@example.org>" ] || die "~/.gitconfig: got '$a'"
# A name without an email is the name alone; CASEFILE_AUTHOR still wins over git.
printf '[user]\n\tname = Only Name\n' >"$HOME/.gitconfig"
rm "$HOME/.config/git/config"
a=$(author_of env)
[ "$a" = "Only Name" ] || die "name without email: got '$a'"
a=$(author_of env CASEFILE_AUTHOR="Env Wins")
[ "$a" = "Env Wins" ] || die "CASEFILE_AUTHOR over git: got '$a'"
# GIT_CONFIG_GLOBAL replaces the global files, as in git.
printf '[user]\n\tname = Global File\n\temail = g@example.org\n' >"$T/global"
a=$(author_of env GIT_CONFIG_GLOBAL="$T/global")
[ "$a" = "Global File <g@example.org>" ] || die "GIT_CONFIG_GLOBAL: got '$a'"
# The same identity git itself reports from those files.
if command -v git >/dev/null; then
	export GIT_CONFIG_GLOBAL="$T/global"
	want="$(git config user.name) <$(git config user.email)>"
	a=$(author_of env)
	[ "$a" = "$want" ] || die "differs from git config: got '$a', git says '$want'"
	unset GIT_CONFIG_GLOBAL
fi
[ $fails -eq 0 ] || exit 1
echo "author: CASEFILE_AUTHOR, git identity, login name"
