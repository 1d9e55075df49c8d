"""The starter kit: a complete, editable first protocol (cycle, standards, checklists, documents) in one click."""
