"""The owner's reports: sales, inventory turnover, customer behaviour and cost control.

Each report function takes an Actor (it checks report.view itself) and a
Period, and returns a `Report` (common.py) that the CLI prints and the
Reports screen draws.
"""
