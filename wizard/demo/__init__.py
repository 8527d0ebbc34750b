"""The embedded demo wallet service and its scenarios (DESIGN "Modes: Demo").

`DemoService(scenario)` serves, on 127.0.0.1, everything a wallet profile points at, so the
whole flow works on a machine with no network and staff can train on each failure.
"""

from wizard.demo.helpdesk import Ticket
from wizard.demo.service import DemoError, DemoService
from wizard.vocabulary import SCENARIOS

__all__ = ["SCENARIOS", "DemoError", "DemoService", "Ticket"]
