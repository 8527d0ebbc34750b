"""The high-contrast theme reaches WCAG AA: every text/background pair at 4.5:1 or more.

Three ways, each computed (WCAG 2 relative luminance), never eyeballed:
- the theme's own colours: every text colour on every ground it is meant for;
- the stylesheets' colour uses: each `color:` of styles/*.tcss on the background of its own
  rule, or, when its rule sets none, on every ground text inherits (the backgrounds of rules
  that do not colour their own text, and the theme's grounds);
- the screens as drawn: every character cell with text on it, on every screen of the flow,
  read from the compositor's output (the same data an SVG screenshot holds), both as sent in
  true colour and as a 16-colour Linux console shows them (a station on the text console).
Focus is always visible by more than colour, and status is never colour alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.style import Style
from textual._compositor import LayoutUpdate
from textual.color import Color
from textual.pilot import Pilot
from textual.widget import Widget

from tests.ui.conftest import AppFactory
from tests.ui.pilot_helpers import checked, on_screen, wizard
from tests.ui.test_snapshots import SCREENS, _steady
from wizard.demo import DemoService
from wizard.ui.paths import stylesheets
from wizard.ui.theme import HIGH_CONTRAST, HIGH_CONTRAST_NAME

AA = 4.5
# Drawing characters (box lines, block elements, the scrollbar) are borders and shapes, not
# text: WCAG's 4.5:1 is for text. A QR code's blocks are a picture for a camera.
_SHAPES = re.compile(r"[\u2500-\u259f\u25a0-\u25ff]")


def luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_wcag_formula() -> None:
    assert round(contrast(Color(0, 0, 0), Color(255, 255, 255)), 1) == 21.0
    assert round(contrast(Color(119, 119, 119), Color(255, 255, 255)), 2) == 4.48


# -- the theme's colours ------------------------------------------------------------------

VARIABLES = HIGH_CONTRAST.to_color_system().generate()
GROUNDS = ("background", "surface", "panel", "boost")


def resolve(value: str, ground: Color) -> Color | None:
    """A stylesheet colour as drawn on `ground`: variables looked up, `auto` and alpha
    applied, blended over the ground; None for "transparent" (the ground shows)."""
    value = value.strip().removesuffix("!important").strip()
    parts = value.split()
    name, alpha = parts[0], 1.0
    if len(parts) > 1 and parts[1].endswith("%"):
        alpha = float(parts[1][:-1]) / 100
    if name.startswith("$"):
        looked_up = VARIABLES.get(name[1:])
        assert looked_up is not None, f"no variable {name} in the theme"
        return resolve(f"{looked_up} {parts[1]}" if len(parts) > 1 else looked_up, ground)
    if name == "transparent":
        return None
    # Textual's auto: the contrasting one of black and white for this ground.
    color = ground.get_contrast_text(1.0) if name == "auto" else Color.parse(name)
    color = color.multiply_alpha(alpha)
    return ground + color if color.a < 1 else color.with_alpha(1.0)


def _ground(name: str) -> Color:
    base = Color.parse(VARIABLES["background"])
    resolved = resolve(f"${name}", base)
    return base if resolved is None else resolved


TEXT_COLOURS = (
    "text",
    "text-muted",
    "text-disabled",
    "foreground",
    "success",
    "warning",
    "error",
    "accent",
    "primary",
    "secondary",
    "text-primary",
    "text-success",
    "text-warning",
    "text-error",
    "text-accent",
    "footer-foreground",
    "footer-key-foreground",
    "footer-description-foreground",
    "button-foreground",
    "link-color",
)
THEME_PAIRS = [(text, ground) for text in TEXT_COLOURS for ground in GROUNDS] + [
    # Text on the coloured grounds of the theme.
    ("text", "primary"),
    ("text-muted", "primary"),
    ("button-color-foreground", "primary"),
    ("block-cursor-foreground", "block-cursor-background"),
    ("input-cursor-foreground", "input-cursor-background"),
    ("input-selection-foreground", "input-selection-background"),
]


@pytest.mark.parametrize(("text", "ground"), THEME_PAIRS)
def test_every_text_colour_of_the_theme_on_its_grounds(text: str, ground: str) -> None:
    on = _ground(ground)
    color = resolve(f"${text}", on)
    assert color is not None
    ratio = contrast(color, on)
    assert ratio >= AA, f"${text} on ${ground}: {ratio:.2f}:1"


# -- the stylesheets' colour uses ---------------------------------------------------------

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECL = re.compile(r"(?:^|;)\s*(color|background)\s*:\s*([^;]+)")


def _rules() -> Iterator[tuple[str, dict[str, str]]]:
    for sheet in stylesheets():
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text("utf-8"), flags=re.S)
        for selector, body in _RULE.findall(text):
            decls = {k: v.strip() for k, v in _DECL.findall(body)}
            if decls:
                yield f"{sheet.name}: {' '.join(selector.split())}", decls


def _stylesheet_pairs() -> list[tuple[str, str, str]]:
    rules = list(_rules())
    # Where inherited text sits: the theme's grounds, and every background set by a rule
    # that leaves its text colour to what is inside it.
    inherited = [f"${g}" for g in GROUNDS] + [
        d["background"] for _, d in rules if "background" in d and "color" not in d
    ]
    pairs = []
    for where, decls in rules:
        if "color" not in decls:
            continue
        grounds = [decls["background"]] if "background" in decls else inherited
        pairs += [(where, decls["color"], ground) for ground in dict.fromkeys(grounds)]
    return pairs


STYLESHEET_PAIRS = _stylesheet_pairs()


def test_the_stylesheets_colour_their_text() -> None:
    # Guards the parser: the status colours and the title bar are among the pairs.
    colours = {c for _, c, _ in STYLESHEET_PAIRS}
    assert {"$success", "$warning", "$error", "$text", "$text-muted"} <= colours
    assert any(w.endswith("#title-bar") and g == "$primary" for w, _, g in STYLESHEET_PAIRS)


@pytest.mark.parametrize(("where", "color", "ground"), STYLESHEET_PAIRS)
def test_every_colour_use_of_the_stylesheets(where: str, color: str, ground: str) -> None:
    base = Color.parse(VARIABLES["background"])
    on = resolve(ground, base) or base
    drawn = resolve(color, on)
    assert drawn is not None
    ratio = contrast(drawn, on)
    assert ratio >= AA, f"{where}: {color} on {ground} is {ratio:.2f}:1"


# -- the screens as drawn -----------------------------------------------------------------


def _rich(color: RichColor | None) -> Color | None:
    """A drawn colour as sent in true colour; None for the terminal's own default."""
    if color is None or color.is_default:
        return None
    return Color(*color.get_truecolor())


def drawn_cells(pilot: Pilot[None]) -> list[tuple[int, str, Style]]:
    """Every run of text on screen with its style, as the terminal would get it."""
    app = pilot.app
    update = app.screen._compositor.render_update(  # the data export_screenshot draws
        full=True, screen_stack=app._background_screens
    )
    assert isinstance(update, LayoutUpdate), "a full update is a LayoutUpdate (Textual 8.2)"
    cells = []
    for y, line in enumerate(update.strips):
        for strip in line:
            for segment in strip:
                if segment.control or segment.style is None:
                    continue
                text = _SHAPES.sub("", segment.text).strip()
                if text:
                    cells.append((y, text, segment.style))
    return cells


# The Linux text console's 16 colours (the kernel's default palette, drivers/tty/vt/vt.c):
# a station on the console (TERM=linux, docs/kiosk.md) gets each colour rounded to one of these.
LINUX_CONSOLE = tuple(Color.parse(c) for c in (
    "#000000", "#aa0000", "#00aa00", "#aa5500", "#0000aa", "#aa00aa", "#00aaaa", "#aaaaaa",
    "#555555", "#ff5555", "#55ff55", "#ffff55", "#5555ff", "#ff55ff", "#55ffff", "#ffffff",
))  # fmt: skip


def on_linux_console(color: RichColor | None) -> Color | None:
    """A colour as the Linux console shows it: rounded to 16 colours, in the console's palette."""
    if color is None or color.is_default:
        return None
    number = color.downgrade(ColorSystem.STANDARD).number
    return None if number is None else LINUX_CONSOLE[number]


def low_contrast(pilot: Pilot[None]) -> list[str]:
    """The text runs below 4.5:1 (or dimmed, which the terminal blends towards the ground),
    in true colour and as a 16-colour Linux console shows them."""
    bad = []
    for y, text, style in drawn_cells(pilot):
        where = f"row {y} {text[:30]!r}"
        for system, convert in (("", _rich), (" on the console", on_linux_console)):
            fg, bg = convert(style.color), convert(style.bgcolor)
            if style.reverse:
                fg, bg = bg, fg
            if fg is None or bg is None:
                bad.append(f"{where}: no explicit colour")
                break
            ratio = contrast(fg, bg)
            if ratio < AA or style.dim:
                bad.append(f"{where}{system}: {ratio:.2f}:1 {fg.hex}/{bg.hex} dim={style.dim}")
    return bad


async def _stop(pilot: Pilot[None], where: str, bad: list[str]) -> None:
    """Look at the screen as it is now; remember every run of text below 4.5:1."""
    await _steady(pilot)
    bad += [f"{where}: {line}" for line in low_contrast(pilot)]


async def _walk_the_flow(pilot: Pilot[None], bad: list[str]) -> None:
    """Welcome, help, every step (a failing one among them), both views of step 4, the
    quit question and Done: every widget the wizard draws, on one way through."""
    await _stop(pilot, "welcome", bad)
    await pilot.press("f1")
    await on_screen(pilot, "HelpDialog")
    await _stop(pilot, "help", bad)
    await pilot.press("escape")
    await pilot.press("enter")
    await on_screen(pilot, "NetworkScreen")
    step = await checked(pilot)
    await _stop(pilot, "network", bad)
    await pilot.click("#next")
    await on_screen(pilot, "AppUpdateScreen")
    await checked(pilot)
    await _stop(pilot, "app update, nothing given yet", bad)  # placeholders, "Choose…"
    await pilot.press(*"10.6.20", "tab", "enter")
    await _stop(pilot, "platform choices", bad)
    await pilot.press("down", "enter")
    step = await checked(pilot)
    assert step.gate == "fail"  # update required: red, the fix, the official link
    await _stop(pilot, "app update required", bad)
    await pilot.click("#continue-anyway")
    await on_screen(pilot, "ContactScreen")
    await pilot.press(*"13800138000", "tab", *"me@qq.con")
    await checked(pilot)
    await _stop(pilot, "contact with a typo", bad)
    await pilot.press("ctrl+y")
    await checked(pilot)
    await pilot.click("#next")
    await on_screen(pilot, "SupportScreen")
    await _stop(pilot, "support, fix first", bad)
    await pilot.click("#need-help")
    await _stop(pilot, "support, the message", bad)
    await pilot.press("ctrl+q")
    await on_screen(pilot, "ConfirmQuitDialog")
    await _stop(pilot, "quit question", bad)
    await pilot.press("escape")
    await on_screen(pilot, "SupportScreen")
    await pilot.click("#send")
    await on_screen(pilot, "DoneScreen")
    await _stop(pilot, "done", bad)


async def _walk_an_outage(pilot: Pilot[None], bad: list[str]) -> None:
    """The wallet's own outage: warnings, the wallet-side lead and notice."""
    await pilot.press("enter")
    await on_screen(pilot, "NetworkScreen")
    await checked(pilot)
    await _stop(pilot, "network outage", bad)


async def _walk_the_staff_questions(pilot: Pilot[None], bad: list[str]) -> None:
    """Staff mode: the caller's questions, one being asked, the answers chosen."""
    await pilot.press("f4")
    await on_screen(pilot, "StaffNetworkScreen")
    await _stop(pilot, "staff questions", bad)
    await pilot.press("1", "1")
    await _stop(pilot, "staff questions answered", bad)


WALKS = {
    "flow": ("old_app", "normal", _walk_the_flow),
    "outage": ("outage", "normal", _walk_an_outage),
    "staff": ("ok", "staff", _walk_the_staff_questions),
}


@pytest.mark.parametrize("walk", list(WALKS))
async def test_every_screen_as_drawn_reaches_aa(
    make_app: AppFactory, demo: DemoService, walk: str
) -> None:
    scenario, mode, steps = WALKS[walk]
    demo.scenario = scenario
    app = make_app(theme_name=HIGH_CONTRAST_NAME, mode=mode)
    bad: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        assert pilot.app.theme == HIGH_CONTRAST_NAME
        await steps(pilot, bad)
    assert bad == []


# -- focus, and colour never alone --------------------------------------------------------


def _look(widget: Widget) -> list[tuple[str, Style | None]]:
    """What a widget's region shows: text and style (attributes included), cell by cell."""
    region = widget.region
    out = []
    for strip in widget.screen._compositor.render_strips()[region.y : region.bottom]:
        cropped = strip.crop(region.x, region.right)
        out += [(s.text, s.style) for s in cropped if not s.control]
    return out


def _marks(look: list[tuple[str, Style | None]]) -> list[tuple[str, bool, bool, bool]]:
    """The look without its colours, cell by cell: the glyph, bold, reverse, underline.

    A cell that differs only in colour (a cursor block, a tinted ground, a border drawn
    in another colour) leaves this unchanged: that is colour alone.
    """
    cells = []
    for text, style in look:
        bold = bool(style and style.bold)
        reverse = bool(style and style.reverse)
        underline = bool(style and style.underline)
        cells += [(glyph, bold, reverse, underline) for glyph in text]
    return cells


def _focus_marked(
    focused: list[tuple[str, bool, bool, bool]], blurred: list[tuple[str, bool, bool, bool]]
) -> bool:
    """Whether focus adds a mark that is not a colour: a changed glyph (a border's shape),
    reverse video or an underline. Bold alone is too faint to count, and so is losing it."""
    if len(focused) != len(blurred):
        return True
    return any(
        f[0] != b[0] or (f[2] and not b[2]) or (f[3] and not b[3])
        for f, b in zip(focused, blurred, strict=True)
    )


@pytest.mark.parametrize(
    "name", ["welcome", "app_update_required", "contact_typo", "support_message", "done", "help"]
)
async def test_focus_is_shown_by_more_than_colour(
    make_app: AppFactory, demo: DemoService, name: str
) -> None:
    scenario, reach = SCREENS[name]
    demo.scenario = scenario
    async with make_app(theme_name=HIGH_CONTRAST_NAME).run_test(size=(80, 24)) as pilot:
        await reach(pilot)
        await _steady(pilot)
        screen = pilot.app.screen
        # Every stop of Tab, the scroll areas included (arrows and Page Up/Down scroll them).
        focusable = [w for w in screen.focus_chain if w.region.area]
        assert len(focusable) >= 2
        for widget in focusable:
            widget.focus()
            await pilot.pause()
            focused = _marks(_look(widget))
            screen.set_focus(None)
            await pilot.pause()
            blurred = _marks(_look(widget))
            assert _focus_marked(focused, blurred), f"focus on {widget!r} is colour alone"


async def test_status_is_a_word_and_an_icon_in_the_theme(
    make_app: AppFactory, demo: DemoService
) -> None:
    demo.scenario = "captive_portal"
    async with make_app(theme_name=HIGH_CONTRAST_NAME).run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await checked(pilot)
        text = " ".join(t for _, t, _ in drawn_cells(pilot))
        for status in ("passed", "failed"):
            assert status in text
        assert "✖" in text and "✔" in text
        assert wizard(pilot).session.results["network"].check("captive_portal") is not None


def test_the_theme_is_named_in_the_vocabulary() -> None:
    from wizard.vocabulary import THEMES

    assert HIGH_CONTRAST_NAME in THEMES
    assert Path(stylesheets()[-1]).name == "theme.tcss"
