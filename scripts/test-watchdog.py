#!/usr/bin/env python3
"""Runs the Swift test command so that a hung test process can never stall CI silently.

    scripts/test-watchdog.py COMMAND [ARGS...]

The command's output is streamed line by line. Two situations end it early, each after printing
the stack of every thread of the test process (gdb or the toolchain's lldb, whichever exists), so
the next person sees where it stood:

- the test process stays silent for CARNET_TEST_QUIET_LIMIT seconds (default 600): a test hangs;
  the run fails;
- Swift Testing has printed its final "Test run with N tests ... passed" line, with no failed test
  before it, yet the process has not exited CARNET_TEST_EXIT_GRACE seconds later (default 60): the
  process hangs in its own teardown after every test passed (seen rarely on loaded 2-core
  machines). The stacks are printed, the process is killed, and the run counts as passed, because
  every test did pass; the warning says so loudly.

Otherwise the command's own exit status is returned.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

QUIET_LIMIT = float(os.environ.get("CARNET_TEST_QUIET_LIMIT", "600"))
EXIT_GRACE = float(os.environ.get("CARNET_TEST_EXIT_GRACE", "60"))
PASSED = re.compile(r"Test run with \d+ tests? .*passed after")
FAILED = re.compile(r"^\s*✘|Test run with \d+ tests? .*failed|error: ")


def say(message):
    print(f"test-watchdog: {message}", flush=True)


class Output:
    """What the command printed so far, as far as the watchdog cares."""

    def __init__(self):
        self.last = time.monotonic()
        self.passed_at = None
        self.failure_seen = False
        self.lock = threading.Lock()

    def read(self, stream):
        for raw in iter(stream.readline, b""):
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
            line = raw.decode("utf-8", "replace")
            with self.lock:
                self.last = time.monotonic()
                if FAILED.search(line):
                    self.failure_seen = True
                if PASSED.search(line) and not self.failure_seen:
                    self.passed_at = time.monotonic()


def descendants(root):
    """Every live process below `root`, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    found, pending = [], [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def test_processes(root):
    return [pid for pid in descendants(root) if ".xctest" in command_line(pid) or "swiftpm-testing-helper" in command_line(pid)]


def print_stacks(pid):
    say(f"stacks of process {pid} ({command_line(pid)[:200]}):")
    if shutil.which("gdb"):
        debugger = ["gdb", "-p", str(pid), "-batch", "-ex", "thread apply all bt"]
    elif shutil.which("lldb"):
        debugger = ["lldb", "-p", str(pid), "--batch", "-o", "thread backtrace all"]
    else:
        say("neither gdb nor lldb is available to print them")
        return
    try:
        result = subprocess.run(debugger, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180)
        sys.stdout.buffer.write(result.stdout)
        sys.stdout.flush()
    except (OSError, subprocess.TimeoutExpired) as error:
        say(f"the debugger failed: {error}")


def stop_test_processes(root):
    """Prints the stacks of the test processes, then kills them (the command's own cleanup, such as
    the throwaway PostgreSQL cluster, still runs when they are gone)."""
    pids = test_processes(root)
    if not pids:
        say("no test process found below the command")
    for pid in pids:
        print_stacks(pid)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def finish(process):
    """The command's status once it has exited; a command that outlives its killed test process by a
    minute is stopped as a whole (TERM, then KILL)."""
    for stop in (None, signal.SIGTERM, signal.SIGKILL):
        if stop is not None:
            say(f"stopping the command ({stop.name})")
            try:
                os.killpg(process.pid, stop)
            except ProcessLookupError:
                pass
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            continue
    return process.wait()


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command = sys.argv[1:]
    if shutil.which("stdbuf"):
        # Line-buffered output, so that what a hung process printed last is not lost in a buffer.
        command = ["stdbuf", "-oL", "-eL"] + command
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    output = Output()
    reader = threading.Thread(target=output.read, args=(process.stdout,), daemon=True)
    reader.start()
    verdict = None
    while process.poll() is None:
        time.sleep(1)
        with output.lock:
            silent = time.monotonic() - output.last
            passed_at = output.passed_at
            failure_seen = output.failure_seen
        if passed_at is not None and not failure_seen and time.monotonic() - passed_at > EXIT_GRACE:
            say(f"every test passed, but the test process has not exited {EXIT_GRACE:.0f} s later: it hangs in its teardown")
            stop_test_processes(process.pid)
            verdict = 0
            break
        if silent > QUIET_LIMIT:
            say(f"no output for {QUIET_LIMIT:.0f} s: a test hangs")
            stop_test_processes(process.pid)
            verdict = 1
            break
    status = finish(process)
    reader.join(timeout=10)
    if verdict == 0:
        say("WARNING: the run counts as passed (every test passed) although the test process had to be killed; the stacks above show where it hung")
        return 0
    if verdict == 1:
        say("FAILED: a test hung; the stacks above show where")
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
