"""Which issue each statement addresses: a curated lexicon plus names both readouts share."""
