"""``python -m cluster start|stop|status|kill N|start-node N`` (see :mod:`cluster`)."""

import argparse
import json
import sys

import cluster


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command; return the exit status (1 when the cluster did not come up)."""
    parser = argparse.ArgumentParser(prog="python -m cluster", description=__doc__)
    parser.add_argument("command", choices=("start", "stop", "status", "kill", "start-node"))
    parser.add_argument("node", nargs="?", type=int, help="node number (kill, start-node)")
    args = parser.parse_args(argv)
    if args.command == "start":
        try:
            found = cluster.start()
        except (TimeoutError, FileNotFoundError) as err:
            print(f"cluster: {err}", file=sys.stderr)
            return 1
        print(f"cluster {found['cluster_name']}: {found['status']}, "
              f"{found['number_of_nodes']} nodes at {', '.join(cluster.urls())}")
    elif args.command == "stop":
        stopped = cluster.stop()
        print(f"cluster: stopped {len(stopped)} node(s)")
    elif args.command == "status":
        print(json.dumps(cluster.health(), indent=1))
        return 0 if cluster.running() else 1
    elif args.node is None:
        parser.error(f"{args.command} needs a node number")
    elif args.command == "kill":
        cluster.kill_node(args.node)
    else:
        cluster.start_node(args.node)
    return 0


if __name__ == "__main__":
    sys.exit(main())
