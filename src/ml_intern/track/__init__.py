"""Results: the SQLite store (the run folders' index), the HTML report, the model card and the Hub push, trackers."""
