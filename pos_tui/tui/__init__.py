"""The Textual till. Thin: gathers input, calls services, shows results."""

import os

# Textual draws at most TEXTUAL_FPS frames a second (60 unless set), so the frame that shows a scan could
# wait up to 17 ms for its turn. It draws only when something changed, so a higher cap costs nothing while
# the till is idle; a shop may still set its own. Set here, before anything imports Textual.
os.environ.setdefault("TEXTUAL_FPS", "120")
