#!/usr/bin/env python3
"""Checks a report as a browser rendered it against the JSON queries of the same window.

Reads, from --directory: report.dom.html (Chromium's --dump-dom), report.png, report.pdf,
summary.json, grants-by-programme.json and audit.json. Every number must be on the page where it
belongs: the summary's grant count and amounts in the summary table, each programme's grant count
and awarded total in the total row of its budget table, each finding (rule, subject, event id,
reason) in the findings section. Prints what is missing and exits 1 if anything is.
"""
import argparse
import html.parser
import json
import os
import re
import sys


def yuan(fen):
    """Integer fen as the page prints yuan: 1,234,567.89."""
    sign = "-" if fen < 0 else ""
    magnitude = abs(fen)
    return f"{sign}{magnitude // 100:,}.{magnitude % 100:02d}"


def normal(text):
    return " ".join(text.split())


class Page(html.parser.HTMLParser):
    """Table rows, each with the section id and the h3 heading it sits under."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows = []  # (section, heading, [cells])
        self.sections = []
        self.section_ids = set()
        self.heading = ""
        self.in_heading = False
        self.row = None
        self.cell = None
        self.stack = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section":
            self.sections.append(attributes.get("id", ""))
            self.section_ids.add(attributes.get("id", ""))
        elif tag == "h3":
            self.in_heading = True
            self.heading = ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "section" and self.sections:
            self.sections.pop()
        elif tag == "h3":
            self.in_heading = False
            self.heading = normal(self.heading)
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(normal(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append((self.sections[-1] if self.sections else "", self.heading, self.row))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.in_heading:
            self.heading += data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", required=True)
    arguments = parser.parse_args()
    directory = arguments.directory

    def load(name):
        with open(os.path.join(directory, name), encoding="utf-8") as file:
            return json.load(file)

    summary = load("summary.json")
    # Every answer names its window and heads; the rows of `grants` sit under "rows".
    programmes = load("grants-by-programme.json")["rows"]
    audit = load("audit.json")
    page = Page()
    with open(os.path.join(directory, "report.dom.html"), encoding="utf-8") as file:
        page.feed(file.read())

    missing = []
    checked = 0

    def expect(condition, what):
        nonlocal checked
        checked += 1
        if not condition:
            missing.append(what)

    for section in ("summary", "budget", "tiers-at-grant", "tiers-over-time", "recipients", "findings"):
        expect(section in page.section_ids, f"section {section}")

    summary_rows = [cells for section, _, cells in page.rows if section == "summary"]
    grants = summary["grants"]
    for label, value in (("资助 Grants", str(grants["count"])), ("撤销 Grants revoked", str(grants["revoked"])),
                         ("授予 Awarded (元)", yuan(grants["awardedFen"])), ("拨付 Disbursed (元)", yuan(grants["disbursedFen"])),
                         ("追回 Recovered (元)", yuan(grants["recoveredFen"])),
                         ("在册企业 Enterprises registered", str(summary["enterprises"]["registered"]))):
        expect([label, value] in summary_rows, f"summary: {label} {value}")

    budget_rows = [(heading, cells) for section, heading, cells in page.rows if section == "budget"]
    for programme in programmes:
        key = programme["key"]
        totals = [cells for heading, cells in budget_rows
                  if (heading == key or heading.startswith(key + " ")) and cells and cells[0] == "合计 Total"]
        expect(any(len(cells) >= 4 and cells[2] == str(programme["count"]) and cells[3] == yuan(programme["awardedFen"])
                   for cells in totals),
               f"budget: programme {key}: {programme['count']} grants, awarded {yuan(programme['awardedFen'])}")
        expect(any(len(cells) >= 6 and cells[4] == yuan(programme["disbursedFen"]) and cells[5] == yuan(programme["recoveredFen"])
                   for cells in totals),
               f"budget: programme {key}: disbursed {yuan(programme['disbursedFen'])}, recovered {yuan(programme['recoveredFen'])}")

    finding_rows = [(heading, cells) for section, heading, cells in page.rows if section == "findings"]
    for finding in audit["findings"]:
        event = finding["event"] or "—"
        wanted = [finding["subject"], event, finding["effective"], normal(finding["message"])]
        expect(any(heading.startswith(finding["rule"] + " ") and cells == wanted for heading, cells in finding_rows),
               f"finding {finding['rule']} {finding['subject']} event {event}")
    expect(len([1 for _, cells in finding_rows if cells and cells[0] != "对象 Subject"]) == len(audit["findings"]),
           f"findings: the page lists exactly {len(audit['findings'])}")

    with open(os.path.join(directory, "report.png"), "rb") as file:
        png = file.read()
    expect(png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000, "report.png is a PNG with something drawn")
    with open(os.path.join(directory, "report.pdf"), "rb") as file:
        pdf = file.read()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    expect(pdf[:5] == b"%PDF-" and pages >= 4, f"report.pdf has at least 4 pages (it has {pages})")
    # A4 is 595 x 842 points.
    expect(re.search(rb"/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?\s*\]", pdf) is not None, "report.pdf is A4")

    if missing:
        print(f"report check: {len(missing)} of {checked} checks failed; missing from the rendered page:")
        for what in missing:
            print("  " + what)
        return 1
    print(f"report check: all {checked} checks passed ({len(audit['findings'])} findings, {len(programmes)} programmes, "
          f"{pages} PDF pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
