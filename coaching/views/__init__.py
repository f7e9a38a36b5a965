"""Coaching views, one module per noun: routines, calendar, the coach area, ladders, comments."""
