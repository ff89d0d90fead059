"""The seed as the demo: `podium demo` creates the article's series and events
(seed.py) and lets a simulated audience vote over HTTP (simulate.py)."""
