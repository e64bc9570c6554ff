"""For the sub-command modules the CLI registers (voice, screening): their own errors become the CLI's
UserError, which is passed in, so that those cores never import the CLI."""
from __future__ import annotations

import functools


def for_people(command, errors: tuple[type[Exception], ...], user_error: type[Exception]):
    """`command`, with `errors` raised again as `user_error` (one line on standard error, exit status 2)."""
    @functools.wraps(command)
    def run(args, stdin, stdout) -> int:
        try:
            return command(args, stdin, stdout)
        except errors as exc:
            raise user_error(str(exc)) from None
    return run
