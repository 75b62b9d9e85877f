"""Roadmap pages, one module per entity; ``plan_table`` renders the table they share.
Objects come only through ``get_object_for_user`` and lists through selectors; every
write goes through ``roadmaps.services``."""
