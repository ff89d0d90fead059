"""Exports: what leaves podium as a file. Rows are produced once and rendered to CSV
or XLSX (tables.py, spreadsheets.py); charts are SVG templates shared with the web
pages (templates/charts/), made into pictures of their own here (word_cloud.py)."""
