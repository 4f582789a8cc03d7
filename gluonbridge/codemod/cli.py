"""Command line: parse the arguments, walk the files, run the jobs, report, pick the exit code."""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

from gluonbridge.codemod import exit_codes
from gluonbridge.codemods.config import add_arguments

EXAMPLES = textwrap.dedent("""\
    examples:
      python -m gluonbridge.codemod src/                 rewrite in place (safe rules only)
      python -m gluonbridge.codemod --diff src/          show what would change, write nothing
      python -m gluonbridge.codemod --check src/         exit 1 if anything would change (CI)
      python -m gluonbridge.codemod --unsafe src/        complete the naming migration: no
                                                         name_scope left, dead prefix helpers gone
      python -m gluonbridge.codemod --unsafe --forward src/
                                                         also hybrid_forward(self, F, x) -> forward
      python -m gluonbridge.codemod --target dual src/   code that runs on 1.x and 2.x (through
                                                         the project's `compat` package)
      python -m gluonbridge.codemod --select N1,N4 src/  only these rules
      python -m gluonbridge.codemod --report out.json src/
                                                         every change and warning, as JSON
      python -m gluonbridge.codemod --list-rules         the rule table (ids, levels, messages)

    levels: safe rules run by default; unsafe ones (behaviour may change: names seen by
    files, sharing semantics, moved comments) with --unsafe, and always warn; manual ones
    never rewrite and only warn, as path:line:col: GLU<id> <severity>: <text>.

    targets: mx2 removes the 1.x constructs; dual rewrites them to `compat` calls instead
    (name_scope -> compat.name_scope(blk), prefix= -> **compat.prefix_kw(...),
    params.get -> compat.new_param(self, ...), hybrid_forward kept for 1.x beside a 2.x
    forward under `if compat.IS_MX2:`), keeping 1.x names and behaviour exactly.

    exit codes: 0 ok; 1 --check found files to change; 2 usage error; 123 a file could not
    be read, migrated or written (it is left alone, the others are done); 130 interrupted.""")


class _Parser(argparse.ArgumentParser):
    def error(self, message):           # usage errors: one line and exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(exit_codes.USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m gluonbridge.codemod",
                     description="Migrate MXNet Gluon 1.x code to MXNet 2.x naming "
                                 "(name_scope, prefix=, params=, collect_params helpers, ...).",
                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if any file would change")
    add_arguments(parser)
    parser.add_argument("--exclude", metavar="GLOB", action="append", default=[],
                        help="skip paths matching GLOB (repeatable); .gitignore is honoured too")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes (default: the number of cores)")
    parser.add_argument("--report", metavar="FILE.json", type=Path,
                        help="write every change and warning to this JSON file")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--quiet", "-q", action="store_true", help="no per-warning lines")
    parser.add_argument("--list-rules", action="store_true", help="print the rule table and exit")
    return parser


def main(argv=None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:             # `... --diff | head`: stop quietly
        sys.stderr.close()
        return exit_codes.OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return exit_codes.INTERRUPTED


def _main(argv) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")

    from gluonbridge.codemods.config import make_options
    from gluonbridge.codemods.registry import RULES

    if args.list_rules:
        for rule in sorted(RULES, key=lambda r: (r.id[0], int(r.id[1:]))):
            only = f" ({rule.targets[0]} only)" if len(rule.targets) == 1 else ""
            dual = f" [dual: {rule.dual}]" if args.target == "dual" and rule.dual else ""
            print(f"GLU{rule.id:4} {rule.level.value:7} {rule.group:8} {rule.message}{only}{dual}")
        return exit_codes.OK
    if not args.paths:
        parser.error("no PATH given (try: python -m gluonbridge.codemod --diff src/)")

    from gluonbridge.codemod.files import PathError, python_files
    from gluonbridge.codemod.jobs import run
    from gluonbridge.codemod.migrate_file import readable_sources
    from gluonbridge.codemod.output import print_findings, summary, write_report
    from gluonbridge.codemod.progress import progress

    try:
        paths = list(python_files(args.paths, args.exclude))
    except PathError as error:
        parser.error(str(error))
    options = make_options(args, readable_sources(paths))
    write = not (args.diff or args.check)
    results = []
    for result in progress(run(paths, options, write, args.diff, args.jobs), len(paths),
                           enabled=not args.no_progress):
        results.append(result)
        if result.diff:
            sys.stdout.write(result.diff)
        if not args.quiet:
            print_findings(result, sys.stderr)
    if args.report:
        try:
            write_report(args.report, results, options)
        except OSError as error:
            print(f"cannot write the report: {error}", file=sys.stderr)
            return exit_codes.FAILED
    print(summary(results, wrote=write), file=sys.stderr)
    if any(r.status == "failed" for r in results):
        return exit_codes.FAILED
    would_change = args.check and any(r.status == "changed" for r in results)
    return exit_codes.CHANGES if would_change else exit_codes.OK

