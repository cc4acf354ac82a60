"""Faces of a report beside the app: plain text, Markdown and JSON, and the labels they share.

`text`, `markdown` and `json` each turn a `diagnosis.Report` into a string;
`labels` holds the shared words and the inert-text helpers; `evidence` the
per-step evidence lines. rich is allowed here (cell widths), textual is not.
Import the module you need; this package imports nothing.
"""
