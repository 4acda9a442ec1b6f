"""Colours, marks and fonts shared by every picture, so a result looks the same everywhere.

The palette is Okabe and Ito's, chosen to stay distinct for the common forms
of colour blindness; every result also has a mark, so a picture printed in
grey or read by a colour-blind reader still says what it says.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "DejaVu Sans Mono"  # ships with matplotlib: same glyphs, same widths everywhere
DPI = 110

# Okabe-Ito, in the order groups take them.
GROUP_COLOURS: tuple[str, ...] = (
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#E69F00",  # orange
    "#F0E442",  # yellow
)
NEUTRAL = "#555555"
LAN_COLOUR = "#333333"  # the LAN cable, and the LAN's rows and columns
PUBLISHED_COLOUR = "#7F4F24"  # published ports: the host's table and their columns
HIGHLIGHT = "#D55E00"  # a probe's path


@dataclass(frozen=True, slots=True)
class ResultStyle:
    """How one probe result is drawn: fill colour, mark, text colour and legend text."""

    result: str
    colour: str
    mark: str
    ink: str
    meaning: str


RESULT_STYLES: tuple[ResultStyle, ...] = (
    ResultStyle("open", "#009E73", "✓", "white", "open: connected"),
    ResultStyle("reply", "#009E73", "✓", "white", "reply: ping answered"),
    ResultStyle("refused", "#E69F00", "✗", "black", "refused: RST, nobody listens"),
    ResultStyle("closed", "#E69F00", "✗", "black", "closed: ICMP port unreachable"),
    ResultStyle("timeout", "#56B4E9", "…", "black", "timeout: dropped, no answer"),
    ResultStyle("unreachable", "#CC79A7", "⊘", "black", "unreachable: no route / ICMP"),
    ResultStyle("unresolved", "#999999", "?", "black", "unresolved: name unknown"),
    ResultStyle("not simulated", "#FFFFFF", "·", "black", "not simulated"),
)
_BY_RESULT = {s.result: s for s in RESULT_STYLES}


def result_style(result: str) -> ResultStyle:
    """Return the style of a probe result (``not simulated`` for one it does not know)."""
    return _BY_RESULT.get(result, _BY_RESULT["not simulated"])


def group_colour(index: int) -> str:
    """Return the colour of the n-th network group (neutral grey for none)."""
    if index < 0:
        return NEUTRAL
    return GROUP_COLOURS[index % len(GROUP_COLOURS)]


def tint(colour: str, amount: float) -> str:
    """Return ``colour`` mixed with white: 0 is white, 1 the colour itself."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - c) * amount) for c in (red, green, blue))
    return "#" + "".join(f"{c:02X}" for c in mixed)
