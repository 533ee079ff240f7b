"""The live timer view and its Qt-free frame builder."""
