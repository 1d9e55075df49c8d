"""The protocol studio: documents (protocol, manual, guide), their versions, publishing and exports."""
