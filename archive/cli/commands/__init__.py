"""The ``newsarchive`` commands, one module per sub-task."""
