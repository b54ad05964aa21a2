"""Keeping a studio of many years as quick and small as its first month: the cache within its
budget (`cache`), evicted previews rebuilt when a session is opened again (`rebuild`), closed
sessions' logs compacted (`compact`), and the round that does it all at the right moments
(`rounds`). The rules are kiosk.core.upkeep; the SQL is kiosk.store.upkeep and snapshots.
"""
