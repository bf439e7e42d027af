"""Safety content: guidance pages, the support directory, risk questions and the safety plan."""
