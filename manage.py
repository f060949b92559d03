#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    # Commands are not web requests: a migration, an import or the db_worker's jobs may run long.
    os.environ.setdefault("WORKBENCH_STATEMENT_TIMEOUT_MS", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
