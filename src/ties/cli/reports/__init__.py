"""One module per ``ties report`` kind."""
