"""Campaigns end to end: composer validation, audiences, scheduling, dispatch, recipient state, attribution.

The one owner of campaign, campaign_recipient and campaign_action rows (DESIGN.md §2): the status callback and
inbound button taps call `engine.campaigns.tracking`; figures live in `engine.analytics.campaigns`.
"""
