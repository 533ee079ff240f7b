"""Reading log files, no Qt: the five formats (formats.py), decoding (reader.py), .log/.lo_ timelines, merging and
following (timeline.py), Win32 error texts (win32.py), diagnosis rules (diagnosis.py, report.py), and the live
view's rows and line classification (live_rows.py, classify.py); the log viewer's rows are viewer_rows.py."""
