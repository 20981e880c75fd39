"""The `padtool` command and `python -m padtool`: how the process starts, then the command line."""

import gc


def main() -> None:
    # Importing typer, click and padtool makes tens of thousands of objects that live as long
    # as the process and hold no garbage, and the cycle collector walked them again and again
    # while they were made and once more at exit: a third of what `recommend` spent beyond
    # the bare interpreter. So nothing is collected while importing; the objects are then set
    # aside (gc.freeze) and collection resumes for what commands make, which the interview and
    # the live room need as they run for hours.
    gc.disable()
    from .cli import main as run_command_line

    gc.freeze()
    gc.enable()
    run_command_line()


if __name__ == "__main__":
    main()
