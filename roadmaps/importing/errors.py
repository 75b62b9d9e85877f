class ImportFileError(Exception):
    """A file that cannot be imported; the message is for the person who uploaded it."""
