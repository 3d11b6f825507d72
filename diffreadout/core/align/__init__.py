"""Alignment: pair features, link selection and labels, the mirror rule, N-way claims."""
