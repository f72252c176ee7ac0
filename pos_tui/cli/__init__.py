"""The `pos` command (Typer). Modules here import services lazily so
`pos --help` stays fast and never loads Textual."""
