"""Result values: what a replay hands back and renderers draw (no simulator imported)."""
