"""The always-visible progress line at the top of the walk screen.

Drawn from `WalkState`: the target, then the running step with its time and
progress, or the verdict with the most likely knowledge entry's id (the verdict
card under it says the rest), or why the walk stopped. A function that returns
`Content`; the screen puts it in a `Static`.
"""

from __future__ import annotations

from textual.content import Content

from tlsdoctor.i18n import _
from tlsdoctor.render.labels import step_title

from ..display import lit
from ..state import WalkState


def status_line(state: WalkState, target_text: str) -> Content:
    """The always-visible progress line at the top of the walk screen."""
    parts: list[Content | str | tuple[str, str]] = [lit(target_text, "bold"), "  "]
    if state.error:
        parts += [("✗ " + _("the walk stopped with an error"), "$error bold"), " ", lit(state.error)]
    elif state.cancelled:
        at = state.running.number if state.running else "?"
        parts.append(("– " + _("cancelled at step {n}; press r to run again").format(n=at), "$warning bold"))
    elif state.report is not None:
        total = state.total_seconds
        verdict = state.report.verdict
        if verdict == "problem":
            parts.append(("✗ " + _("problem found"), "$error bold"))
        else:
            parts.append(("✓ " + _("nothing wrong found"), "$success bold"))
        clients = state.report.clients
        if clients is not None and clients.fail and clients.passed:
            shown = clients.to_json()
            parts.append("  " + _("fails for {fail}; passes for {passed}").format(fail=", ".join(shown["fail"]), passed=", ".join(shown["pass"])))
        if state.report.diagnosis:
            parts.append(("  · " + _("most likely: {id}").format(id=state.report.diagnosis[0].kb_id), "bold"))
        parts.append("  · " + _("{secs:.2f}s").format(secs=total))
    elif state.asking is not None:
        step = state.asking.step
        parts.append(("? " + _("step {n}/8 {title}").format(n=step.number, title=step_title(step)) + _(": ") + _("waiting for your answer"), "$warning bold"))
    elif state.running is not None:
        step = state.running
        parts.append(
            (
                "… " + _("step {n}/8 {title}").format(n=step.number, title=step_title(step))
                + f" {state.elapsed(step):.1f}s",
                "$primary bold",
            )
        )
        done = state.progress.get(step)
        if done and done[1]:
            parts += [f"  {done[0]}/{done[1]} ", lit(done[2], "dim")]
    else:
        parts.append(_("starting…"))
    return Content.assemble(*parts)
