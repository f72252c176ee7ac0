"""The Textual till. Thin: gathers input, calls services, shows results."""
