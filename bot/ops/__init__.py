"""Operating the bot: metrics, health and a small hardened HTTP server."""
