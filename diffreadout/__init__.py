"""diffreadout: compare diplomatic readouts of one meeting, statement by statement."""

__version__ = "0.1.0"
