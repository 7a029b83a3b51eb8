#!/usr/bin/env python3
"""html_check.py FILE... — checks each exported HTML page twice:
1. html5lib (the WHATWG HTML parsing algorithm) in strict mode: any parse error of the
   standard (a stray end tag, a bad character reference, a missing doctype, ...) fails;
2. python's html.parser with stricter rules of ours: one doctype, every element closed
   explicitly and in order (void elements excepted), only the elements the exporter makes,
   no event-handler attributes, no javascript:/data: URLs, no comments or raw-HTML leftovers,
   no control characters.
Exit 0 when every file passes; the first problem of each file is printed.
html_check.py --self-test checks that broken pages do fail (the checker can fail)."""
import os
import sys
from html.parser import HTMLParser

try:
    import html5lib
except ImportError:
    # Debian's python3-html5lib lives with Debian's python; another python3 may come first.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != \
            os.path.realpath("/usr/bin/python3") and not os.environ.get("HTML_CHECK_REEXEC"):
        os.environ["HTML_CHECK_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("html_check.py: html5lib is missing (Debian: python3-html5lib; make deps)")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
# The elements cmark-gfm and our page wrapper produce; anything else came from case text.
ALLOWED = {"html", "head", "meta", "title", "style", "body", "div", "p", "h1", "h2", "h3",
           "h4", "ul", "ol", "li", "strong", "em", "code", "pre", "table", "thead", "tfoot",
           "tbody", "tr", "th", "td", "hr", "br", "blockquote", "a",
           # the charts of a briefing (export/chart.c)
           "figure", "figcaption", "svg", "rect", "line", "circle", "text"}


class Strict(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.doctypes = [], [], 0

    def problem(self, msg):
        line, col = self.getpos()
        self.problems.append(f"{line}:{col}: {msg}")

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.problem(f"unexpected declaration {decl!r}")
        self.doctypes += 1

    def unknown_decl(self, data):
        self.problem(f"unknown declaration {data!r}")

    def handle_pi(self, data):
        self.problem(f"processing instruction {data!r}")

    def handle_comment(self, data):
        self.problem(f"comment {data!r} (raw HTML left in?)")

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.problem(f"element <{tag}> not produced by the exporter")
        for name, value in attrs:
            if name.startswith("on"):
                self.problem(f"event handler attribute {name}")
            if value and value.strip().lower().startswith(("javascript:", "data:")):
                self.problem(f"active URL in {name}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        # HTML5 allows "<hr />" for void elements (cmark writes them so); nothing else.
        if tag not in VOID:
            self.problem(f"self-closing <{tag}/>")
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problem(f"end tag for void element {tag}")
        elif not self.stack or self.stack[-1] != tag:
            self.problem(f"</{tag}> does not close {self.stack[-1] if self.stack else 'anything'}")
        else:
            self.stack.pop()


def standard_errors(text):
    """Parse errors by the HTML standard's algorithm, as (line, col, code) strings."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(text)
    except html5lib.html5parser.ParseError:
        pass
    return [f"{line}:{col}: html5 parse error {code} {args or ''}".rstrip()
            for (line, col), code, args in parser.errors]


def check_text(text):
    problems = standard_errors(text)
    p = Strict()
    p.feed(text)
    p.close()
    if p.doctypes != 1:
        p.problems.append(f"{p.doctypes} doctypes")
    if p.stack:
        p.problems.append(f"unclosed: {p.stack}")
    for ch in text:
        if ord(ch) < 32 and ch not in "\n\t" or 0x7f <= ord(ch) < 0xa0:
            p.problems.append(f"control character U+{ord(ch):04X}")
            break
    return problems + p.problems


def check(path):
    with open(path, encoding="utf-8", errors="strict") as f:
        return check_text(f.read())


GOOD = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>t</title>\n</head>\n<body>\n%s\n</body>\n</html>\n")
BROKEN = {
    "stray end tag": "<p>a</div></p>",
    "unclosed element": "<div><p>a</p>",
    "misnested": "<p><em><strong>a</em></strong></p>",
    "bad character reference": "<p>a &bogus; b</p>",
    "script": "<p>a</p><script>alert(1)</script>",
    "event handler": "<p onclick=\"x()\">a</p>",
    "javascript URL": "<p><a href=\"javascript:alert(1)\">a</a></p>",
    "image": "<p><img src=x></p>",
    "comment": "<!-- raw --><p>a</p>",
    "control character": "<p>a\x1b[2J</p>",
    "duplicate attribute": "<p class=a class=b>a</p>",
}


def self_test():
    if check_text(GOOD % "<p>fine</p>"):
        print("self-test: a good page fails:", check_text(GOOD % "<p>fine</p>"))
        return 1
    bad = 0
    if not check_text("<html><head><title>t</title></head><body><p>a</p></body></html>"):
        print("self-test: a page without doctype passes")
        bad = 1
    for name, body in BROKEN.items():
        if not check_text(GOOD % body):
            print(f"self-test: {name} passes")
            bad = 1
    return bad


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    bad = 0
    for path in sys.argv[1:]:
        problems = check(path)
        if problems:
            bad += 1
            print(f"{path}: {problems[0]} ({len(problems)} problems)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
