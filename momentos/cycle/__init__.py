"""The four-step design: objectives, segments and expectations, the service cycle, standards and checklists."""
