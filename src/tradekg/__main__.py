"""``python -m tradekg`` runs the command line."""

from tradekg.cli import main

main()
