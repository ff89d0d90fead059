"""`podium bench`: a load generator that speaks HTTP to a running podium server.

It logs in as the organiser, opens the event's first poll, lets N participants join
and hold their live streams, answers at an open-loop rate and measures what the
issue's targets name: acknowledgement latency, the time until an answer shows on a
presenter's screen, throughput against a no-op endpoint, and the server's memory
per connection.

Modules: setup (what the moderator does), ladder (which values to send, so that
every answer moves a presenter-visible total), sse (reading frames), latency
(percentiles and matching answers to frames), lanes (HTTP clients without pool
queues), rawhttp (a minimal client for `--client raw`), participants (joining and
streams), loadgen (open- and closed-loop phases), errors (counted by kind), system
(limits, /proc), report (figures, summary, JSON), run (the order of it all).
docs/BENCHMARKS.md describes the method and the measured figures.
"""
