"""Renderers: turn results into transcripts, JSON, pcaps, plots and diagrams."""
