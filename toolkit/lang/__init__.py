"""Languages: :mod:`.identify` tells the language of a text, :mod:`.tag` marks every fragment of a document."""
