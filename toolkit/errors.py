"""One exception family: the library raises these, the CLI turns them into one line."""


class CoitoolError(Exception):
    """Base of every error coitool reports to its user."""


class InputError(CoitoolError):
    """The input cannot be read as what it should be (not a PDF, encrypted, no text layer, ...)."""


class OutputError(CoitoolError):
    """The output cannot be written."""


class ValidationError(CoitoolError):
    """A TEI file breaks the schema or coitool's own checks."""


class GlossaryError(CoitoolError):
    """A glossary file is malformed."""


class ModelError(CoitoolError):
    """A translation model package is missing, malformed or unsafe."""


class UsageError(CoitoolError):
    """The command asks for something that cannot be done (two inputs for one output, ...): exit status 2."""
