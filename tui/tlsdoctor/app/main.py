"""The Textual app: `tlsdoctor [TARGET]` and `tlsdoctor demo`.

`TlsDoctorApp` owns the app-wide keys (language, palette), the command
palette's commands and the exports. It consumes only the walk engine's event
stream (through `screens.WalkScreen`); it never opens sockets itself. The demo
gets its loopback servers from `tlsdoctor.lab.scenarios.Lab`, started and
stopped by `run_demo`. `cli.py` imports this module lazily so `check` never
imports textual.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, runtime_checkable

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tlsdoctor.i18n import LANGUAGE_NAMES, _, current_language, set_language
from tlsdoctor.redact import legend_text
from tlsdoctor.render.report import render_report
from tlsdoctor.walk import Event

from .display import lazy_gettext
from .exports import file_stem, fix_cjk_svg, free_path, write_file_once, write_new_file
from .screens.export import ExportDialog
from .screens.form import FormScreen
from .screens.picker import PickerScreen
from .screens.walk import WalkScreen

if TYPE_CHECKING:
    from tlsdoctor.demo import DemoLab as Lab
    from tlsdoctor.facts.questions import Answer
    from tlsdoctor.probe.background import ThreadedGenerator
    from tlsdoctor.request import WalkOptions

__all__ = ["TlsDoctorApp", "fix_cjk_svg", "run_app", "run_demo", "write_new_file"]

WalkAction = Callable[[WalkScreen], Awaitable[None] | None]  # an action of the walk screen, unbound
ExportKind = Literal["md", "json", "svg"]


@runtime_checkable
class SaysMessages(Protocol):
    """A screen with a message line of its own (confirmations there, not in a toast over the evidence)."""

    def say(self, message: str, severity: str = "information") -> None: ...


@runtime_checkable
class Relocalisable(Protocol):
    """A screen that can re-render itself in the language just set (from its stored state)."""

    async def relocalise(self, lang: str) -> None: ...


class TlsDoctorApp(App[int]):
    """A live, bilingual walk through the decision tree."""

    CSS_PATH = "app.tcss"
    TITLE = "tlsdoctor"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Textual's palette key, as an ordinary footer key in the user's language (the screens'
        # footers do not dock it to the right, where it sat over the keys cut at 80 columns)
        Binding("ctrl+p", "command_palette", lazy_gettext("palette"), id="command-palette"),
        # the other language, as bilingual sites label the switch: 中文 in English, EN in Chinese (fits 80 columns)
        Binding("l", "switch_language", lazy_gettext("中文"), id="switch-language"),
        Binding("ctrl+q", "quit", lazy_gettext("Quit"), id="quit"),
        Binding("f2", "switch_language", lazy_gettext("中文"), show=False, id="switch-language-f2"),
        Binding("f3", "explain", lazy_gettext("Explain error"), id="explain"),
        Binding("f4", "knowledge", lazy_gettext("Knowledge"), id="knowledge"),
    ]

    def __init__(
        self,
        options: WalkOptions | None = None,
        *,
        lang: str = "en",
        demo: bool = False,
        lab: Lab | None = None,
        export_dir: str | Path | None = None,
        replay: Sequence[Event] | None = None,
        server_log: Callable[[], Sequence[str]] | None = None,
        redact: bool = False,
        guided: bool = False,
        early: ThreadedGenerator[Event, Answer] | None = None,
    ) -> None:
        """`replay`: recorded engine events to show instead of a live walk (fixed pictures);
        `server_log`: a lab server's log to show beside the walk of `options` (the demo's scenarios);
        `redact`: the walk starts in screen-sharing mode (`--redact`);
        `guided`: without options, start with "what is wrong?" (`tlsdoctor` alone) instead of the form;
        `early`: the walk of `options`, begun before the app was made (`walk.start`)."""
        set_language(lang)
        super().__init__()
        self.options = options
        self.demo = demo
        self.lab = lab
        self._own_lab = False
        self.replay = replay
        self.server_log = server_log
        self.redact = redact
        self.guided = guided
        self.early = early
        self.export_dir = Path(export_dir) if export_dir is not None else Path.cwd()

    def on_mount(self) -> None:
        self.title = "tlsdoctor"
        if self.demo:
            if self.lab is None:
                from tlsdoctor.demo import DemoLab as Lab  # lazy: start-up cost

                self.lab = Lab()
                self.lab.start()
                self._own_lab = True
            self.push_screen(PickerScreen(self.lab))
        elif self.options is not None:
            self.push_screen(
                WalkScreen(
                    self.options, back_allowed=False, replay=self.replay, server_log=self.server_log, redact=self.redact, early=self.early
                )
            )
        elif self.guided:
            from .screens.start import StartScreen  # lazy: start-up cost (it brings the explain dialog)

            self.push_screen(StartScreen())
        else:
            self.push_screen(FormScreen())

    def on_unmount(self) -> None:
        if self._own_lab and self.lab is not None:
            self.lab.stop()
            self.lab = None

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None, markup: bool = True) -> None:
        """Into the top screen's message line when it has one (the walk screen); a toast elsewhere."""
        if isinstance(self.screen, SaysMessages) and not title:
            self.screen.say(message, severity)
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)  # type: ignore[arg-type]

    # language ---------------------------------------------------------------------------
    async def action_switch_language(self) -> None:
        await self.switch_language("zh" if current_language() == "en" else "en")

    async def switch_language(self, lang: str) -> None:
        """Switch every screen live; results, selection and scroll state come from stored state."""
        set_language(lang)
        for screen in self.screen_stack:
            if isinstance(screen, Relocalisable):
                await screen.relocalise(lang)
        self.refresh_bindings()
        self.notify(_("Language: {name}").format(name=LANGUAGE_NAMES[lang]), markup=False, timeout=2)

    # helpers for the palette -----------------------------------------------------------
    def walk_screen(self) -> WalkScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, WalkScreen):
                return screen
        return None

    def _write(self, stem: str, suffix: str, text: str, path: Path | None) -> Path | None:
        """To exactly `path` (asked for; never over an existing file), else to the next free name in `export_dir`."""
        try:
            written = write_file_once(path, text) if path is not None else write_new_file(self.export_dir, stem, suffix, text)
        except OSError as exc:
            self.notify(_("Not saved: {error}").format(error=exc.strerror or exc), severity="error", markup=False)
            return None
        self.notify(_("Saved {path}").format(path=str(written)), markup=False)
        return written

    def export_report(self, fmt: Literal["md", "json"], path: Path | None = None) -> Path | None:
        """Write the report (md or json) to `path`, or to a new file in `export_dir`; returns where."""
        walk = self.walk_screen()
        if walk is None or walk.state.report is None:
            self.notify(_("The report is not ready yet."), severity="warning", markup=False)
            return None
        redaction = walk.redaction()
        text = render_report(walk.state.report, fmt, redaction)
        stem = file_stem(None if redaction is not None else walk.options)  # a shared file's name is shared too
        written = self._write(stem, "." + fmt, text if text.endswith("\n") else text + "\n", path)
        if written is None or redaction is None or walk.redactor is None:
            return written
        # the key back to the real names stays on this machine: a file of its own, mode 600 (mkstemp's)
        legend = write_new_file(written.parent, written.stem, ".legend.txt", legend_text(walk.redactor))
        self.notify(
            _("Saved {path}; placeholder legend in {legend} (keep it local)").format(path=str(written), legend=str(legend)),
            markup=False,
        )
        return written

    def export_svg(self, path: Path | None = None) -> Path | None:
        """An SVG screenshot of the current screen, to `path` or to a new file in `export_dir`."""
        walk = self.walk_screen()
        svg = fix_cjk_svg(self.export_screenshot(title="tlsdoctor"))
        options = walk.options if walk is not None and not walk.state.redact else None  # a shared name
        return self._write(file_stem(options), ".svg", svg, path)

    def ask_export(self, kind: ExportKind) -> None:
        """Ask where to write (a default filled in), then write there."""
        walk = self.walk_screen()
        if kind != "svg" and (walk is None or walk.state.report is None):
            self.notify(_("The report is not ready yet."), severity="warning", markup=False)
            return
        what = {
            "md": _("Export the report as Markdown"),
            "json": _("Export the report as JSON"),
            "svg": _("Save an SVG screenshot of this screen"),
        }[kind]
        shared = walk is not None and walk.state.redact  # a shared file's name is shared too
        default = free_path(self.export_dir, file_stem(walk.options if walk and not shared else None), "." + kind)
        screenshot = fix_cjk_svg(self.export_screenshot(title="tlsdoctor")) if kind == "svg" else None

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if screenshot is not None:  # the screen as it was, not with the dialog over it
                self._write("", ".svg", screenshot, path)
            else:
                self.export_report(kind, path)  # type: ignore[arg-type]

        self.push_screen(ExportDialog(what, default), chosen)

    def action_explain(self) -> None:
        from .screens.explain import ExplainDialog  # lazy: start-up cost (opened on demand)

        def opened(entry_id: str | None) -> None:
            if entry_id:
                self.action_knowledge(entry_id)

        self.push_screen(ExplainDialog(), opened)

    def action_knowledge(self, entry_id: str | None = None) -> None:
        from .screens.knowledge import KnowledgeScreen  # lazy: start-up cost (Markdown and its parser, ~25 ms)

        self.push_screen(KnowledgeScreen(entry_id))

    def _walk_action(self, action: WalkAction) -> None:
        """Run one of the walk screen's actions from the palette (on the walk screen under it, if any)."""
        walk = self.walk_screen()
        if walk is None:
            self.notify(_("No walk on screen."), severity="warning", markup=False)
            return
        if inspect.iscoroutinefunction(action):
            self.call_next(action, walk)
        else:
            action(walk)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        other = "English" if current_language() == "zh" else "中文"
        yield SystemCommand(
            _("Switch language to {name}").format(name=other),
            _("Show everything in {name}; results stay").format(name=other),
            self.action_switch_language,
        )
        yield SystemCommand(_("Export report as Markdown"), _("Write the report to a .md file"), lambda: self.ask_export("md"))
        yield SystemCommand(_("Export report as JSON"), _("Write the report to a .json file"), lambda: self.ask_export("json"))
        yield SystemCommand(_("Save SVG screenshot"), _("Write this screen to an .svg file"), lambda: self.ask_export("svg"))
        yield SystemCommand(_("Copy selected command"), _("Copy the selected command (OSC 52)"), lambda: self._walk_action(WalkScreen.action_copy_command))
        yield SystemCommand(_("Copy report as Markdown"), _("Copy the whole report (OSC 52)"), lambda: self._walk_action(WalkScreen.action_copy_report))
        yield SystemCommand(_("Re-run the walk"), _("Run every step again"), lambda: self._walk_action(WalkScreen.action_rerun))
        yield SystemCommand(
            _("Re-run and answer again"),
            _("Run every step again and ask every question again"),
            lambda: self._walk_action(WalkScreen.action_rerun_asking),
        )
        yield SystemCommand(
            _("Redact names for screen sharing"),
            _("Toggle placeholders for host names, addresses and fingerprints, on screen and in exports"),
            lambda: self._walk_action(WalkScreen.action_toggle_redaction),
        )
        yield SystemCommand(_("Explain a pasted error"), _("Paste an error message and see what it means"), self.action_explain)
        yield SystemCommand(_("Browse the knowledge base"), _("List, search and read the entries"), self.action_knowledge)
        from tlsdoctor.knowledge import load_knowledge  # lazy: start-up cost

        lang = current_language()
        for entry in load_knowledge().entries:
            yield SystemCommand(
                _("Open knowledge entry {id}: {title}").format(id=entry.id, title=entry.title.get(lang)),
                entry.slug,
                lambda entry_id=entry.id: self.action_knowledge(entry_id),
                discover=False,
            )
        yield SystemCommand(_("Quit"), _("Leave tlsdoctor"), self.exit)


def run_app(
    options: WalkOptions | None, lang: str, *, redact: bool = False, early: ThreadedGenerator[Event, Answer] | None = None
) -> int:
    """`tlsdoctor [TARGET]`: with options the walk starts at once (or has: `early`), else the start
    question. Returns the exit code."""
    app = TlsDoctorApp(options, lang=lang, redact=redact, guided=options is None, early=early)
    app.run()
    walk = app.walk_screen()
    if walk is not None and walk.state.report is not None:
        return walk.state.report.exit_code
    return 0


def run_demo(lang: str) -> int:
    """`tlsdoctor demo`: the scenario picker over the lab; servers stop on exit."""
    from tlsdoctor.demo import DemoLab as Lab  # lazy: start-up cost

    with Lab() as lab:
        TlsDoctorApp(None, lang=lang, demo=True, lab=lab).run()
    return 0
