"""The demo world of ``make run``: the directory of the sample regions, a user for every
role, and the public sample plans carried in ``demo/samples`` (also the tests' fixtures).
Nothing here runs in production; the demo password is public on purpose (README)."""
