"""Yearbook search pipeline: parse → analysis → index → search."""

from pathlib import Path

#: The project root (a source checkout): corpus/ and var/ live beside the packages.
ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
VAR_DIR = ROOT / "var"
