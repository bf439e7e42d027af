"""Analysis: timeline, behaviour tags, the pattern, escalation, and the law it touches."""
