"""The Textual app: renders the walk's events; never touches sockets itself.

`main` (the app and its entry points), `screens/` (one screen per module),
`widgets/` (what the walk screen is made of), `state` (what the walk screen
knows, apart from the widgets), `messages` (typed worker messages), `display`
(how untrusted text reaches the screen), `form_fields` (the form's syntax
check and request), `exports` (files written). Textual is imported only here
and nowhere below the faces.
"""
