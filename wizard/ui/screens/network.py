"""Step 1: the network — link, DNS, Wi-Fi sign-in page, proxy, the wallet's servers, status."""

from __future__ import annotations

from typing import ClassVar

from wizard.ui.screens.step import StepScreen


class NetworkScreen(StepScreen):
    """Every network check runs the moment the screen opens."""

    STEP: ClassVar[str] = "network"
    help_topic: ClassVar[str] = "network"
