"""The typed messages the app's workers post: one per walk engine event, and the form's ready request.

The walk worker turns each engine event (`tlsdoctor.walk.Event`) into
the message of its kind; the walk screen is the only consumer, so these
messages do not bubble. They carry the engine's own frozen events, unchanged.
Nothing here renders or does I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual.message import Message

from tlsdoctor.facts.questions import Answered
from tlsdoctor.facts.steps import (
    StepFinished,
    StepProgress,
    StepStarted,
    WalkFinished,
)

if TYPE_CHECKING:
    from tlsdoctor.diagnosis import Report
    from tlsdoctor.request import WalkOptions
    from tlsdoctor.walk import Event

EventT = TypeVar("EventT", StepStarted, StepProgress, StepFinished, Answered, "WalkFinished[Report]")


class WalkMessage(Message, Generic[EventT]):
    """Base of the messages the walk worker posts (one per engine event); they stay on the walk screen."""

    bubble = False

    def __init__(self, event: EventT) -> None:
        self.event: EventT = event
        super().__init__()


class StepStartedMessage(WalkMessage[StepStarted]):
    """A step began (event: StepStarted)."""


class StepProgressMessage(WalkMessage[StepProgress]):
    """A step reported progress (event: StepProgress)."""


class StepFinishedMessage(WalkMessage[StepFinished]):
    """A step finished (event: StepFinished, with its StepResult)."""


class WalkFinishedMessage(WalkMessage["WalkFinished[Report]"]):
    """The walk ended with its report (event: WalkFinished)."""


class AnsweredMessage(WalkMessage[Answered]):
    """A question of the walk was settled (event: Answered): one more step of the path taken."""


AnyWalkMessage = StepStartedMessage | StepProgressMessage | StepFinishedMessage | AnsweredMessage | WalkFinishedMessage


class WalkCancelledMessage(Message):
    """The user cancelled the walk (Escape)."""

    bubble = False


def message_for(event: Event) -> AnyWalkMessage | None:
    """The message that carries `event` to the walk screen (None for a Question: the worker asks it)."""
    match event:
        case Answered():
            return AnsweredMessage(event)
        case StepStarted():
            return StepStartedMessage(event)
        case StepProgress():
            return StepProgressMessage(event)
        case StepFinished():
            return StepFinishedMessage(event)
        case WalkFinished():
            return WalkFinishedMessage(event)
    return None


class RequestReady(Message):
    """The form's request is complete (client files loaded, once, off the UI loop): start the walk."""

    bubble = False

    def __init__(self, options: WalkOptions) -> None:
        self.options = options
        super().__init__()
