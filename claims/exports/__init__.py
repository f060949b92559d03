"""Exports of claim sets: one module per format, each turning claim records (records.py) into text."""
