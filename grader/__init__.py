"""The course's grader on top of nbgrader: `python -m grader` (see grader/__main__.py)."""
import sys

# nbformat imports jsonschema, which imports rfc3987_syntax where it is installed (jupyter-events
# asks for it) and compiles its 38 grammars on the spot: 1.8 s at the start of every command.
# Notebooks use none of the IRI formats it checks; without it, jsonschema leaves them unchecked.
sys.modules.setdefault("rfc3987_syntax", None)
