"""The local web app: server-rendered pages on 127.0.0.1, calling `services` only."""
