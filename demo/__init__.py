"""The demo world of ``make run``: the directory of the sample regions, a user for every
role, the public sample plans carried in ``demo/samples`` (also the tests' fixtures), and
plans of today in execution, played by the demo people (``scenario``, ``execution``).
Nothing here runs in production; the demo password is public on purpose (README)."""
