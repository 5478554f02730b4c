"""The command line's limits for each submission, shared by `check` and `autograde`."""
import sys

from grader import sandbox


def add_limits(parser):
    group = parser.add_argument_group("limits for each submission")
    defaults = sandbox.Limits()
    group.add_argument("--cell-timeout", type=float, default=defaults.cell_timeout,
                       help="seconds for one cell or one call (default %(default)s)")
    group.add_argument("--notebook-timeout", type=float, default=defaults.notebook_timeout,
                       help="seconds for a whole notebook (default %(default)s)")
    group.add_argument("--memory-mb", type=int, default=defaults.memory // sandbox.MiB,
                       help="memory of the notebook's processes in MiB, all together with the "
                            "files they write where cgroups are available (root), else per "
                            "process (default %(default)s)")
    group.add_argument("--cpu-seconds", type=int, default=defaults.cpu_seconds,
                       help="CPU time of the notebook's processes, all together where cgroups "
                            "are available, else per process (default %(default)s)")
    group.add_argument("--max-processes", type=int, default=defaults.processes,
                       help="processes the notebook may run (default %(default)s)")
    group.add_argument("--max-file-mb", type=int, default=defaults.file_size // sandbox.MiB,
                       help="largest file the notebook may write, MiB (default %(default)s)")
    group.add_argument("--disk-mb", type=int, default=defaults.disk // sandbox.MiB,
                       help="size of the notebook's home, a tmpfs, in MiB; its /tmp gets a "
                            "quarter (default %(default)s)")
    group.add_argument("--isolation", choices=["auto", "bwrap", "none"], default="auto",
                       help="bwrap: require bubblewrap; none: process limits only; auto "
                            "(default): bubblewrap if it works here")


def limits_from(args):
    return sandbox.Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                          memory=args.memory_mb * sandbox.MiB, cpu_seconds=args.cpu_seconds,
                          processes=args.max_processes, file_size=args.max_file_mb * sandbox.MiB,
                          disk=args.disk_mb * sandbox.MiB)


def warn_isolation(args):
    if args.isolation != "none" and sandbox.bwrap_available():
        return True
    if args.isolation == "bwrap":
        print("grader: --isolation bwrap was asked for, but bubblewrap cannot run here. Install "
              "it (apt-get install bubblewrap) or choose --isolation none.", file=sys.stderr)
        return False
    print(sandbox.isolation_warning(chosen=args.isolation == "none"), file=sys.stderr)
    return True
