"""`python -m padtool` runs the command line."""

from .cli import main

main()
