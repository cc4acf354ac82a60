"""The Textual app: renders the walk's events; never touches sockets itself."""
