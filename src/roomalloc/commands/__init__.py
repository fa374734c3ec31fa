"""One module per ``roomalloc`` sub-command; each has ``register(subparsers)``.

``register`` adds the sub-command's parser and sets ``func`` to a callable taking the parsed
arguments and returning the exit status.
"""

COMMANDS = ("validate", "check", "generate", "solve", "explain", "sweep", "compare")
