"""The wizard's widgets, one a module."""
