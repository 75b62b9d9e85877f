"""Admin pieces every app shares."""

from simple_history.admin import SimpleHistoryAdmin

from .history import attach_changes, previous_records


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin's history of an object, read as the product's history pages read it:
    field names and readable values instead of field codes and raw ids."""

    # Stored structures an app knows how to read (field name → function of the value).
    history_readers: dict = {}

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        attach_changes(
            self.model,
            records,
            previous_records(self.model, records),
            readers=self.history_readers,
        )
        for record in records:
            record.history_delta_changes = [
                {"field": change.label, "old": change.old, "new": change.new}
                for change in record.changes
            ]
