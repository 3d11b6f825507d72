"""Text: segmentation with offsets, language and script, words and stems, lexicons."""
