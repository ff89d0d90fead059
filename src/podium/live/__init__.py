"""Live updates: the broadcast hub between processes and the fan-out to SSE streams."""
