"""The live checks: pure asyncio, no Textual import (a test enforces it)."""
