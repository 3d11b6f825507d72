"""The headless analysis core: segmentation, scoring, alignment and explanation."""
