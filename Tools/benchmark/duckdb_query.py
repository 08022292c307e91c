#!/usr/bin/env python3
"""Answers the peers' question with DuckDB over a grants log (JSON lines), for the benchmark.

The question is the sum of GrantAwarded amounts (fen) per enterprise or per award year; unlike
`incentives grants`, it ignores amendments, revocations and retractions and verifies nothing.

usage: duckdb_query.py enterprise|year given|auto GRANTS_JSONL

  given   read_json with the columns named (the fastest way to ask DuckDB)
  auto    read_json detecting the schema itself (the first query a person would write)

Prints one CSV row per group on standard output, and the seconds spent in DuckDB (query and
fetch, without the interpreter's start and `import duckdb`) on standard error as
`benchmark-query-seconds=S`.
"""
import sys
import time

USAGE = "usage: duckdb_query.py enterprise|year given|auto GRANTS_JSONL"
GROUPS = {
    "enterprise": "data.enterprise",
    "year": "year(effective)",
}
READERS = {
    "given": "read_json(?, format='newline_delimited', "
             "columns={type: 'VARCHAR', effective: 'DATE', data: 'STRUCT(enterprise VARCHAR, \"amountFen\" BIGINT)'})",
    "auto": "read_json(?, format='newline_delimited')",
}


def main(arguments):
    if len(arguments) != 3 or arguments[0] not in GROUPS or arguments[1] not in READERS:
        print(USAGE, file=sys.stderr)
        return 64
    group, reader, path = arguments
    started = time.perf_counter()
    import duckdb  # counted apart: the import is the interpreter's cost, not the query's
    imported = time.perf_counter()
    query = (f"select {GROUPS[group]} as key, count(*) as awards, sum(data.amountFen) as awarded_fen "
             f"from {READERS[reader]} where type = 'GrantAwarded' group by 1 order by 1")
    rows = duckdb.execute(query, [path]).fetchall()
    out = sys.stdout
    out.write("key,awards,awardedFen\n")
    for key, awards, awarded in rows:
        out.write(f"{key},{awards},{awarded}\n")
    out.flush()
    finished = time.perf_counter()
    print(f"benchmark-import-seconds={imported - started:.6f}", file=sys.stderr)
    print(f"benchmark-query-seconds={finished - imported:.6f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
