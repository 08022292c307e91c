"""Shared pieces of the reliability harnesses: running the built `incentives`, building events
directories through it, reading logs back independently, and counting checks.

Standard library only. Every random choice comes from a seeded random.Random, so a failing run
is replayed exactly by passing the same --seed.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LOGS = ("tiers", "centres", "grants")
ZERO_HASH = "0" * 64
MAXIMUM_SAFE_INTEGER = 2**53 - 1
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BAD_DATA, EXIT_IO = 0, 1, 64, 65, 74

# GB 32100-2015: the alphabet of a Unified Social Credit Code and the weights of its check digit.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def binary_path():
    """The `incentives` under test: $INCENTIVES_BIN, else the release build of this checkout."""
    path = os.environ.get("INCENTIVES_BIN") or os.path.join(REPOSITORY, ".build", "release", "incentives")
    if not os.access(path, os.X_OK):
        sys.exit(f"no incentives binary at {path}; run `swift build -c release --product incentives` "
                 "or set INCENTIVES_BIN")
    return path


def independent_checker_path():
    """The shared independent checker: $INCENTIVES_VERIFY_CHAIN (as for the Swift tests), else
    ../shared/tools/verify-chain.py beside this checkout."""
    for candidate in (os.environ.get("INCENTIVES_VERIFY_CHAIN", ""),
                      os.path.join(REPOSITORY, "..", "shared", "tools", "verify-chain.py")):
        if candidate and os.path.isfile(candidate):
            return os.path.abspath(candidate)
    return None


def bundled_events():
    """The committed Events/ directory, when it holds logs."""
    directory = os.path.join(REPOSITORY, "Events")
    if os.path.isdir(directory) and any(os.path.isfile(os.path.join(directory, f"{log}.jsonl")) for log in LOGS):
        return directory
    return None


class Tally:
    """Counts checks; prints each failure with what was expected, and a final summary line."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.started = time.monotonic()

    def check(self, condition, description, detail=""):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL [{self.name}] {description}" + (f"\n      {detail}" if detail else ""), flush=True)
        return condition

    def skip(self, description, reason):
        self.skipped += 1
        print(f"SKIP [{self.name}] {description}: {reason}", flush=True)

    def elapsed(self):
        return time.monotonic() - self.started

    def finish(self, figures=()):
        for line in figures:
            print(f"  {line}")
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed{skipped} in {self.elapsed():.1f} s",
              flush=True)
        return 0 if self.failed == 0 and self.passed > 0 else 1


def run(arguments, events=None, stdin=None, timeout=120, preexec_fn=None, env=None, binary=None):
    """Runs `incentives ARGUMENTS [--events EVENTS]` to completion; returns a CompletedProcess
    with text stdout and stderr (undecodable bytes replaced)."""
    command = [binary or binary_path()] + list(arguments)
    if events is not None:
        command += ["--events", events]
    environment = dict(os.environ)
    environment.pop("INCENTIVES_EVENTS", None)
    environment.pop("INCENTIVES_ACTOR", None)
    if env:
        environment.update(env)
    if isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    completed = subprocess.run(command, input=stdin if stdin is not None else b"", capture_output=True,
                               timeout=timeout, preexec_fn=preexec_fn, env=environment)
    completed.stdout = completed.stdout.decode("utf-8", "replace")
    completed.stderr = completed.stderr.decode("utf-8", "replace")
    return completed


def verify_report(events):
    """`incentives verify --format json`: (exit code, parsed report or None)."""
    result = run(["verify", "--format", "json"], events)
    try:
        return result.returncode, json.loads(result.stdout)
    except ValueError:
        return result.returncode, None


def describe(result):
    return f"exit {result.returncode}; stdout: {result.stdout.strip()[:600]!r}; stderr: {result.stderr.strip()[:600]!r}"


# MARK: Events directories


def uscc(random, region="321204"):
    """A Unified Social Credit Code of Jiangyan district with a valid check digit."""
    body = "91" + region + "".join(random.choice(USCC_ALPHABET) for _ in range(9))
    total = sum(USCC_ALPHABET.index(character) * weight for character, weight in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def draft(identifier, kind, effective, data, actor="harness", source="reliability-harness", recorded=None):
    """One line of `incentives append` input."""
    value = {"id": identifier, "type": kind, "effective": effective, "actor": actor, "source": source, "data": data}
    if recorded is not None:
        value["recorded"] = recorded
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def seed_drafts(random, enterprises=8, programmes=2, centres=2, awards=0, prefix="seed"):
    """A consistent opening batch: programmes, registered enterprises, centres, and awards.
    Returns (lines, enterprise codes, programme ids, granted ids)."""
    lines, codes, programme_ids, grants = [], [], [], []
    for number in range(programmes):
        programme = f"P{number + 1}"
        programme_ids.append(programme)
        lines.append(draft(f"{prefix}:programme:{programme}", "ProgrammeEstablished", "2020-01-01",
                           {"programme": programme, "name": f"Programme {number + 1}"}))
    seen = set()
    while len(codes) < enterprises:
        code = uscc(random)
        if code in seen:
            continue
        seen.add(code)
        codes.append(code)
        lines.append(draft(f"{prefix}:register:{code}", "EnterpriseRegistered", "2020-01-01",
                           {"enterprise": code, "name": f"企业 {len(codes)}", "sector": "advanced manufacturing"}))
    for number in range(centres):
        centre = f"C{number + 1}"
        lines.append(draft(f"{prefix}:open:{centre}", "CentreOpened", "2020-01-01",
                           {"centre": centre, "name": f"Centre {number + 1}", "kind": "innovation", "city": "泰州"}))
    for number in range(awards):
        grant = f"{prefix}-G{number + 1}"
        grants.append(grant)
        lines.append(draft(f"{prefix}:award:{grant}", "GrantAwarded", "2021-03-01",
                           {"grant": grant, "enterprise": random.choice(codes), "programme": random.choice(programme_ids),
                            "amountFen": random.randint(1, 10**9), "project": "项目 " + grant}))
    return lines, codes, programme_ids, grants


def append_lines(events, lines, path=None, extra=()):
    """Appends draft lines through `incentives append FILE`; raises on failure."""
    text = "\n".join(lines) + "\n"
    if path is None:
        result = run(["append", "-", "--format", "json"] + list(extra), events, stdin=text)
    else:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        result = run(["append", path, "--format", "json"] + list(extra), events)
    if result.returncode != 0:
        raise RuntimeError("append failed: " + describe(result))
    return json.loads(result.stdout)


def make_ledger(events, binary=None):
    """Makes EVENTS (created if missing) an empty ledger with `incentives init`: appends refuse a
    folder that is not a ledger."""
    result = run(["init"], events, binary=binary)
    if result.returncode != 0:
        raise RuntimeError("init failed: " + describe(result))


def make_temporary_directory(prefix):
    base = os.environ.get("RELIABILITY_TMPDIR") or None
    return tempfile.mkdtemp(prefix=f"reliability-{prefix}-", dir=base)


def remove_directory(path):
    shutil.rmtree(path, ignore_errors=True)


def finish_campaign(tally, lines, work, events, keep=False):
    """Prints the figures and the verdict; removes the work directory after a clean run (unless
    asked to keep it) and otherwise says where the events directory is, for a look at it."""
    code = tally.finish(lines)
    if code == 0 and not keep:
        remove_directory(work)
    else:
        print(f"  events directory kept at {events}")
    return code


def snapshot(events):
    """Every file's SHA-256 in an events directory, by name (the journal included)."""
    files = {}
    for name in sorted(os.listdir(events)):
        path = os.path.join(events, name)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                files[name] = hashlib.sha256(handle.read()).hexdigest()
    return files


def log_snapshot(events):
    """The SHA-256 and length of each log (not the journal, whose idle form may be rewritten)."""
    files = {}
    for log in LOGS:
        path = os.path.join(events, f"{log}.jsonl")
        if os.path.exists(path):
            with open(path, "rb") as handle:
                data = handle.read()
            files[log] = (len(data), hashlib.sha256(data).hexdigest())
    return files


def journal_state(events):
    """'absent', 'idle', 'pending' or 'damaged' — what the writer's journal says."""
    path = os.path.join(events, ".ledger-journal")
    if not os.path.exists(path):
        return "absent"
    with open(path, "rb") as handle:
        text = handle.read()
    # Idle, possibly followed by the logs' acknowledged states and stamps after the last append
    # (format 2 starts "ledger-journal 2 "; format 1 records are still read).
    if text == b"" or text.startswith(b"idle\n") or text.startswith(b"ledger-journal 2 idle\n"):
        return "idle"
    if text.startswith(b"pending\n") or text.startswith(b"ledger-journal 2 pending\n"):
        return "pending"
    return "damaged"


QUARANTINE = ".ledger-quarantine"


def quarantine_files(events):
    """Name -> bytes of every file a repair or rollback moved into quarantine."""
    directory = os.path.join(events, QUARANTINE)
    files = {}
    if os.path.isdir(directory):
        for name in sorted(os.listdir(directory)):
            with open(os.path.join(directory, name), "rb") as handle:
                files[name] = handle.read()
    return files


def nonroot_prefix():
    """A command prefix that runs as an unprivileged user (setpriv), or (None, reason)."""
    runner = shutil.which("setpriv")
    if runner is None:
        return None, "setpriv is not installed"
    prefix = [runner, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(prefix + ["true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return None, f"setpriv cannot switch user here: {probe.stderr.strip()}"
    return prefix, ""


# MARK: An independent reading of the logs (shares no code with the ledger)


def canonical(value):
    """RFC 8785 for the integer-only JSON of events."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return "{" + ",".join(canonical(key) + ":" + canonical(value[key]) for key in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(element) for element in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        if abs(value) > MAXIMUM_SAFE_INTEGER:
            raise ValueError(f"integer beyond 2^53-1: {value}")
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise ValueError(f"unsupported value {value!r}")


def _reject_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_fraction(text):
    raise ValueError(f"non-integer number {text}")


def _checked_integer(text):
    value = int(text)
    if abs(value) > MAXIMUM_SAFE_INTEGER:
        raise ValueError(f"integer beyond 2^53-1: {text}")
    return value


def _sorted_dump(value):
    """json.dumps with sorted keys: RFC 8785 whenever keys sort the same by code point as by
    UTF-16 units (always, for the ASCII keys of events); `canonical` decides the rest."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def event_hash(event):
    body = {key: value for key, value in event.items() if key != "hash"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def seal(event):
    """Returns the canonical line (with newline) of `event` with its hash recomputed."""
    event = dict(event)
    event["hash"] = event_hash(event)
    return (canonical(event) + "\n").encode("utf-8")


MEMBERS = {"actor", "data", "effective", "hash", "id", "prev", "recorded", "seq", "source", "type", "v"}


class ChainState:
    """Where a log's chain stands after some lines: what the next line must continue."""

    def __init__(self, line=0, head=ZERO_HASH, seq=1, recorded=""):
        self.line, self.head, self.seq, self.recorded = line, head, seq, recorded


def read_log(data, state=None, line_limit=None):
    """Checks one log's bytes the way `verify` is documented to. Returns (events, problems)
    where problems are (line number, reason) in order; a line is bad if it is not a canonical
    event, its seq or prev does not follow, its hash is wrong, or recorded goes back.
    `state` continues from earlier lines (data then starts at line state.line + 1);
    `line_limit` stops after that many lines."""
    state = state or ChainState()
    events, problems = [], []
    head, expected_seq, last_recorded = state.head, state.seq, state.recorded
    lines = data.split(b"\n")
    complete = lines[:-1]
    if line_limit is not None and len(complete) > line_limit:
        complete, lines = complete[:line_limit], complete[:line_limit] + [b""]
    for number, raw in enumerate(complete, state.line + 1):
        try:
            text = raw.decode("utf-8")
            event = json.loads(text, object_pairs_hook=_reject_duplicates, parse_float=_reject_fraction,
                               parse_int=_checked_integer, parse_constant=_reject_fraction)
            if not isinstance(event, dict) or set(event) != MEMBERS:
                raise ValueError("not an event object")
            body = {key: value for key, value in event.items() if key != "hash"}
            if _sorted_dump(event) == text:
                digest = hashlib.sha256(_sorted_dump(body).encode("utf-8")).hexdigest()
            elif canonical(event) == text:
                digest = hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()
            else:
                raise ValueError("not canonical")
        except (UnicodeDecodeError, ValueError) as error:
            problems.append((number, f"unreadable: {error}"))
            head, expected_seq = None, None
            continue
        bad = []
        if expected_seq is not None and event["seq"] != expected_seq:
            bad.append(f"seq {event['seq']} where {expected_seq} was expected")
        if head is not None and event["prev"] != head:
            bad.append("prev does not link")
        if digest != event["hash"]:
            bad.append("hash does not match")
        if isinstance(event["recorded"], str) and event["recorded"] < last_recorded:
            bad.append("recorded goes back")
        else:
            last_recorded = event["recorded"]
        if bad:
            problems.append((number, "; ".join(bad)))
        expected_seq = event["seq"] + 1 if isinstance(event["seq"], int) else None
        head = event["hash"]
        events.append(event)
    if lines[-1]:
        problems.append((state.line + len(complete) + 1, "last line has no newline"))
    return events, problems


def read_events(events_directory):
    """Every event of every log, by log, checked independently; plus (log, line, reason) problems
    including ids used twice across logs."""
    by_log, problems, seen = {}, [], {}
    for log in LOGS:
        path = os.path.join(events_directory, f"{log}.jsonl")
        data = b""
        if os.path.exists(path):
            with open(path, "rb") as handle:
                data = handle.read()
        events, log_problems = read_log(data)
        problems += [(log, number, reason) for number, reason in log_problems]
        for index, event in enumerate(events):
            if event["id"] in seen:
                problems.append((log, index + 1, f"id {event['id']} used twice"))
            seen[event["id"]] = (log, index + 1)
        by_log[log] = events
    return by_log, problems


def run_independent_checker(events_directory):
    """(ran, ok, output) of the shared verify-chain.py on a directory."""
    checker = independent_checker_path()
    if checker is None:
        return False, True, "verify-chain.py not found beside the checkout"
    result = subprocess.run([sys.executable, checker, events_directory], capture_output=True, text=True, timeout=600)
    return True, result.returncode == 0, (result.stdout + result.stderr)[-2000:]


def parse_arguments(description, defaults):
    """--name value options for the numbers every harness takes (seed, counts, time bounds)."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    for name, (value, help_text) in defaults.items():
        parser.add_argument("--" + name, type=type(value), default=value, help=help_text)
    return parser.parse_args()


def build_sample_events(events, random, batches=6, batch_size=120):
    """A small but varied events directory, written through `incentives append`, for when the
    bundled Events/ is absent: programmes, enterprises, centres, awards, payments, evaluations,
    promotions and a retraction, across all three logs."""
    if not os.path.exists(os.path.join(events, "ledger.json")):
        make_ledger(events)
    lines, codes, programmes, grants = seed_drafts(random, enterprises=30, programmes=3, centres=4, awards=60)
    append_lines(events, lines)
    tiers = ["startup", "sme", "high-tech", "influential"]
    reached = {code: -1 for code in codes}
    counter = 0
    # An evaluation is retracted at the end: nothing depends on one (an award may have payments).
    evaluation = None
    for batch in range(batches):
        lines = []
        for _ in range(batch_size):
            counter += 1
            identifier = f"sample-{counter}"
            choice = random.random()
            if choice < 0.35:
                grant = f"S{counter}"
                grants.append(grant)
                lines.append(draft(identifier, "GrantAwarded", f"202{1 + batch % 3}-0{1 + counter % 9}-1{counter % 9}", {
                    "grant": grant, "enterprise": random.choice(codes), "programme": random.choice(programmes),
                    "amountFen": random.randint(100, 5 * 10**9), "project": f"技术改造项目 {counter}"}))
            elif choice < 0.7:
                lines.append(draft(identifier, "GrantDisbursed", "2024-01-15", {
                    "grant": random.choice(grants), "amountFen": random.randint(100, 10**8)}))
            elif choice < 0.85:
                evaluation = evaluation or identifier
                lines.append(draft(identifier, "CapabilityEvaluated", "2022-09-30", {
                    "enterprise": random.choice(codes), "score": random.randint(0, 100)}))
            elif choice < 0.97:
                code = random.choice(codes)
                if reached[code] < len(tiers) - 1:
                    reached[code] += 1
                    lines.append(draft(identifier, "TierPromoted", f"202{2 + reached[code]}-06-30",
                                       {"enterprise": code, "tier": tiers[reached[code]]}))
            else:
                lines.append(draft(identifier, "CentreOpened", "2023-03-01", {
                    "centre": f"SC{counter}", "name": f"离岸创新中心 {counter}", "kind": "offshore", "city": "上海",
                    "partner": "Some University"}))
        append_lines(events, lines)
    if evaluation is not None:
        append_lines(events, [draft("sample-retraction", "EventRetracted", "2024-02-01",
                                    {"target": evaluation, "reason": "entered twice"})])


class LogFollower:
    """Reads a directory's logs as they grow, re-reading only what was added since the last
    read that was committed (the prefix read before must still be there, byte for byte)."""

    def __init__(self, events_directory):
        self.events = events_directory
        self.prefix = {log: (0, hashlib.sha256().hexdigest(), ChainState(), []) for log in LOGS}

    def read(self, commit):
        """Returns ({log: [ids in order]}, [(log, line, reason)]); with `commit`, remembers this
        state (only call it so when the logs are known to hold acknowledged events only)."""
        ids_by_log, problems = {}, []
        for log in LOGS:
            path = os.path.join(self.events, f"{log}.jsonl")
            data = b""
            if os.path.exists(path):
                with open(path, "rb") as handle:
                    data = handle.read()
            offset, digest, state, ids = self.prefix[log]
            if len(data) < offset or hashlib.sha256(data[:offset]).hexdigest() != digest:
                problems.append((log, 0, "the part of the log read before has changed"))
                ids_by_log[log] = list(ids)
                continue
            events, log_problems = read_log(data[offset:], state)
            problems += [(log, number, reason) for number, reason in log_problems]
            ids_by_log[log] = ids + [event["id"] for event in events]
            if commit and not log_problems:
                end = data.rfind(b"\n") + 1
                last = events[-1] if events else None
                new_state = ChainState(state.line + len(events), last["hash"], last["seq"] + 1,
                                       last["recorded"]) if last else state
                self.prefix[log] = (end, hashlib.sha256(data[:end]).hexdigest(), new_state, ids_by_log[log])
        seen = {}
        for log in LOGS:
            for number, identifier in enumerate(ids_by_log[log], 1):
                if identifier in seen:
                    problems.append((log, number, f"id {identifier} used twice"))
                seen[identifier] = log
        return ids_by_log, problems


AUDIT_WARNING = re.compile(r"^warning: [a-z-]+ \((error|warning|info)\): ")


def without_audit_warnings(stderr):
    """STDERR less the audit findings an append warns of before writing (`warning: RULE (SEVERITY): ...`):
    what is left is what the command said about the store (repairs, refusals)."""
    return "".join(line for line in stderr.splitlines(keepends=True) if not AUDIT_WARNING.match(line))
