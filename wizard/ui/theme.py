"""The wizard's themes: Textual's usual look, and `high-contrast` for low vision.

In `high-contrast` every text/background pair the wizard draws reaches WCAG AA, 4.5:1
(tests/ui/test_theme_contrast.py computes the ratios from these colours, from the stylesheet's
colour uses and from the screens as drawn): white and strong colours on black, no text drawn
translucent, and Textual's derived colours (muted and disabled text, the footer's keys, the
cursor) pinned to values that keep the ratio. Status is never colour alone (an icon and a
word), and focus is always marked by more than a colour (styles/theme.tcss).
"""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST_NAME = "high-contrast"

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_NAME,
    primary="#FFD700",
    secondary="#00BFFF",
    accent="#00FFFF",
    warning="#FFB000",
    error="#FF6060",
    success="#33FF77",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    # Full-strength text: any transparency would blend it towards the background.
    text_alpha=1.0,
    variables={
        # "auto": white on dark grounds, black on light ones (the title bar's gold).
        "text": "auto 100%",
        "text-muted": "auto 82%",
        "text-disabled": "auto 70%",
        "foreground-muted": "#D0D0D0",
        "foreground-disabled": "#B0B0B0",
        "footer-foreground": "#FFFFFF",
        "footer-background": "#000000",
        "footer-key-foreground": "#00FFFF",
        "footer-key-background": "#000000",
        "footer-description-foreground": "#FFFFFF",
        "footer-description-background": "#000000",
        "footer-item-background": "#000000",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFD700",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#000000",
        "input-cursor-foreground": "#000000",
        "input-cursor-background": "#FFFFFF",
        "input-selection-background": "#FFD700",
        "input-selection-foreground": "#000000",
        "button-foreground": "#FFFFFF",
        "button-color-foreground": "#000000",
        "button-focus-text-style": "bold reverse",
        "border": "#FFD700",
        "border-blurred": "#FFFFFF",
        "link-color": "#00FFFF",
        "link-background": "#000000",
        "scrollbar": "#FFFFFF",
        "scrollbar-background": "#000000",
    },
)

THEMES = {HIGH_CONTRAST_NAME: HIGH_CONTRAST}
