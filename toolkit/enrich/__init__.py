"""Enrichment of the document model: citations inside footnotes and the sources annex, dates."""
